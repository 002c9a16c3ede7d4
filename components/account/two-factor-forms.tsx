"use client";

import { useRouter } from "next/navigation";
import { useActionState, useState } from "react";
import { FormOutcome } from "@/components/ui/form-parts";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { TextField } from "@/components/ui/text-field";
import { CurrentPasswordField } from "./current-password-field";
import { beginTotpSetupAction, enableTotpAction, manageTwoFactorAction, type TwoFactorState } from "@/lib/actions/account";
import { initialFormState } from "@/lib/actions/form-state";

/** "Set up authenticator app": scan the code (or type the key), then prove it with a code and the current password. */
export function TotpSetup() {
  const [started, begin, starting] = useActionState<TwoFactorState, FormData>(beginTotpSetupAction, initialFormState);
  const [state, enable, enabling] = useActionState<TwoFactorState, FormData>(enableTotpAction, initialFormState);
  const codes = useRecoveryCodes(state);
  if (codes.unsaved) return <RecoveryCodes state={state} onDone={codes.markSaved} />;
  const setup = state.setup ?? started.setup;
  if (!setup || codes.saved) {
    return (
      <form action={begin} className="row">
        <p className="muted">Use an app such as 1Password, Google Authenticator or Microsoft Authenticator.</p>
        <button type="submit" className="button button-primary" disabled={starting} aria-busy={starting}>
          {starting ? "Starting…" : "Set up authenticator app"}
        </button>
      </form>
    );
  }
  return (
    <form action={enable} className="stack" aria-label="Set up authenticator app" noValidate>
      <FormOutcome state={state} />
      <ol className="stack">
        <li>
          <p>Scan this QR code with your authenticator app.</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL made on the server, nothing to optimize */}
          <img src={setup.qrCode} alt="QR code for your authenticator app" width={192} height={192} />
          <p className="muted">
            Cannot scan it? Enter this key instead: <code data-testid="totp-secret">{setup.secret}</code>
          </p>
        </li>
        <li>
          <TextField
            id="totp-setup-code"
            name="code"
            label="Code from the app"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            errors={state.fieldErrors.code}
          />
        </li>
        <li>
          <CurrentPasswordField id="totp-setup-current-password" errors={state.fieldErrors.currentPassword} />
        </li>
      </ol>
      <input type="hidden" name="pending" value={setup.pending} />
      <div className="row">
        <button type="submit" className="button button-primary" disabled={enabling} aria-busy={enabling}>
          {enabling ? "Turning on…" : "Turn on"}
        </button>
      </div>
    </form>
  );
}

/** With the app on: new recovery codes, or turning it off — each with the current password. */
export function TotpManage() {
  const [state, manage, pending] = useActionState<TwoFactorState, FormData>(manageTwoFactorAction, initialFormState);
  const codes = useRecoveryCodes(state);
  if (codes.unsaved) return <RecoveryCodes state={state} onDone={codes.markSaved} />;
  return (
    <form action={manage} className="stack" aria-label="Manage authenticator app" noValidate>
      {state.recoveryCodes ? null : <FormOutcome state={state} />}
      <CurrentPasswordField
        id="two-factor-current-password"
        hint="Needed to change your second factor."
        errors={state.fieldErrors.currentPassword}
      />
      <div className="row">
        <button type="submit" name="intent" value="recovery-codes" className="button" disabled={pending}>
          Generate new recovery codes
        </button>
        <button type="submit" name="intent" value="disable" className="button button-danger-outline" disabled={pending}>
          Turn off authenticator app
        </button>
      </div>
    </form>
  );
}

/** The recovery codes an action just answered with: shown until the person says they saved them ("Done"). */
export function useRecoveryCodes(state: TwoFactorState) {
  const [saved, setSaved] = useState<string[] | undefined>();
  const codes = state.recoveryCodes;
  return {
    unsaved: codes !== undefined && codes !== saved,
    saved: codes !== undefined && codes === saved,
    markSaved: () => setSaved(codes),
  };
}

export function RecoveryCodes({ state, onDone }: { state: TwoFactorState; onDone: () => void }) {
  const router = useRouter();
  const codes = state.recoveryCodes ?? [];
  return (
    <section aria-label="Recovery codes" className="stack">
      <FormOutcome state={state} />
      <OneTimeSecret
        value={codes.join("\n")}
        testId="recovery-codes"
        downloadName="tessera-recovery-codes"
        warning="Each recovery code signs you in once if you lose your phone. Keep them somewhere safe, such as a password manager: they will not be shown again."
        onDone={() => {
          onDone();
          // The page was left as it was while the codes showed: now it shows the new state.
          router.refresh();
        }}
      />
    </section>
  );
}
