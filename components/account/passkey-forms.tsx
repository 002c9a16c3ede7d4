"use client";

import { startRegistration } from "@simplewebauthn/browser";
import { useActionState, useEffect, useRef, useState, useTransition, type FormEvent } from "react";
import { FormOutcome } from "@/components/ui/form-parts";
import { TextField } from "@/components/ui/text-field";
import { CurrentPasswordField } from "./current-password-field";
import { addPasskeyAction, beginPasskeyRegistrationAction, removePasskeyAction, type TwoFactorState } from "@/lib/actions/account";
import { initialFormState } from "@/lib/actions/form-state";
import { RecoveryCodes, useRecoveryCodes } from "./two-factor-forms";

/** "Add passkey": a name and the current password, then the browser's own prompt creates it. */
export function AddPasskeyForm() {
  const [state, add, adding] = useActionState<TwoFactorState, FormData>(addPasskeyAction, initialFormState);
  const [browserMessage, setBrowserMessage] = useState<string | null>(null);
  const [creating, startTransition] = useTransition();
  const codes = useRecoveryCodes(state);
  const form = useRef<HTMLFormElement>(null);
  // Added: the form empties, so a second press does not add the same passkey again.
  useEffect(() => {
    if (state.ok) form.current?.reset();
  }, [state]);
  if (codes.unsaved) return <RecoveryCodes state={state} onDone={codes.markSaved} />;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBrowserMessage(null);
    const { ceremony, options } = await beginPasskeyRegistrationAction();
    try {
      data.set("response", JSON.stringify(await startRegistration({ optionsJSON: options })));
    } catch {
      setBrowserMessage("The browser did not create a passkey. Try again, or use another device.");
      return;
    }
    data.set("ceremony", ceremony);
    startTransition(() => add(data));
  }

  const busy = adding || creating;
  return (
    <form ref={form} onSubmit={(event) => void onSubmit(event)} className="stack" aria-label="Add passkey" noValidate>
      {state.recoveryCodes ? null : <FormOutcome state={state} />}
      {browserMessage ? (
        <p role="alert" className="alert alert-error">
          {browserMessage}
        </p>
      ) : null}
      <TextField
        id="passkey-name"
        name="name"
        label="Passkey name"
        placeholder="Work laptop"
        maxLength={60}
        required
        errors={state.fieldErrors.name}
      />
      <CurrentPasswordField id="passkey-current-password" errors={state.fieldErrors.currentPassword} />
      <div className="row">
        <button type="submit" className="button" disabled={busy} aria-busy={busy}>
          {busy ? "Adding…" : "Add passkey"}
        </button>
      </div>
    </form>
  );
}

/** "Remove" on one passkey: asks for the current password first. */
export function RemovePasskeyButton({ id, name }: { id: string; name: string }) {
  const [state, remove, pending] = useActionState<TwoFactorState, FormData>(removePasskeyAction, initialFormState);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button
        type="button"
        className="button button-danger-outline"
        aria-label={`Remove passkey ${name}`}
        onClick={() => setConfirming(true)}
      >
        Remove
      </button>
    );
  }
  return (
    <form action={remove} className="inline-form" aria-label={`Remove passkey ${name}`} noValidate>
      <FormOutcome state={state} />
      <input type="hidden" name="passkey" value={id} />
      <CurrentPasswordField id={`remove-passkey-${id}`} autoFocus errors={state.fieldErrors.currentPassword} />
      <button type="submit" className="button button-danger-outline" disabled={pending} aria-busy={pending}>
        Remove passkey
      </button>
      <button type="button" className="button" onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </form>
  );
}
