import { formatDate } from "@/components/ui/dates";
import { RECOVERY_CODE_COUNT } from "@/lib/auth/second-factor";
import { twoFactorStatus } from "@/lib/people/two-factor";
import { TotpManage, TotpSetup } from "./two-factor-forms";

/** "Two-factor authentication" on /account (SPEC §14): the authenticator app and recovery codes. */
export async function TwoFactorSection({ personId }: { personId: string }) {
  const status = await twoFactorStatus(personId);
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
    </section>
  );
}
