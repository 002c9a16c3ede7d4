import { formatDate } from "@/components/ui/dates";
import { RECOVERY_CODE_COUNT } from "@/lib/auth/second-factor";
import { twoFactorStatus } from "@/lib/people/two-factor";
import { listPasskeys } from "@/lib/people/passkeys";
import { AddPasskeyForm, RemovePasskeyButton } from "./passkey-forms";
import { TotpManage, TotpSetup } from "./two-factor-forms";

/** "Two-factor authentication" on /account (SPEC §14): the authenticator app and recovery codes. */
export async function TwoFactorSection({ personId }: { personId: string }) {
  const [status, passkeys] = await Promise.all([twoFactorStatus(personId), listPasskeys(personId)]);
  return (
    <section className="card stack" aria-labelledby="two-factor-heading" id="two-factor">
      <h2 id="two-factor-heading">Two-factor authentication</h2>
      <p className="muted">
        A second step at sign-in, so a stolen password is not enough. Organizations can require it to open their console.
      </p>
      <h3>Authenticator app</h3>
      {status.totpEnabledAt ? (
        <>
          <p>
            <span className="badge badge-sent">On</span> since {formatDate(status.totpEnabledAt.toISOString())}. Recovery codes left:{" "}
            {status.recoveryCodesLeft} of {RECOVERY_CODE_COUNT}.
          </p>
          <TotpManage />
        </>
      ) : (
        <TotpSetup />
      )}
      <h3>Passkeys</h3>
      <p className="muted">Sign in with your fingerprint, face or screen lock, or with a security key.</p>
      {passkeys.length > 0 ? (
        <ul className="session-list" aria-label="Passkeys">
          {passkeys.map((key) => (
            <li key={key.id} className="session-row">
              <div className="stack-tight">
                <strong>{key.name}</strong>
                <span className="muted">
                  Added {formatDate(key.createdAt.toISOString())} ·{" "}
                  {key.lastUsedAt ? `last used ${formatDate(key.lastUsedAt.toISOString())}` : "never used"}
                </span>
              </div>
              <RemovePasskeyButton id={key.id} name={key.name} />
            </li>
          ))}
        </ul>
      ) : null}
      <AddPasskeyForm />
      {status.enabled && !status.totpEnabledAt ? (
        <p className="muted">
          Recovery codes left: {status.recoveryCodesLeft} of {RECOVERY_CODE_COUNT}.
        </p>
      ) : null}
    </section>
  );
}
