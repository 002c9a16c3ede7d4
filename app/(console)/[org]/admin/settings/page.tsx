import { formatCount } from "@/components/ui/counts";
import type { Metadata } from "next";
import Link from "next/link";
import { PolicyForm } from "@/components/settings/policy-form";
import { TwoFactorPolicyForm } from "@/components/settings/two-factor-policy-form";
import { currentAdminActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";
import { twoFactorPolicyOf } from "@/lib/organizations/two-factor-policy";
import { countIdleTokens } from "@/lib/tokens/idle";
import { listTokens } from "@/lib/tokens/queries";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const actor = await currentAdminActor(org);
  // The listing loads the policy to flag tokens against; it is the policy this page edits.
  const outside = await listTokens(actor, { outsidePolicy: true, limit: 1 });
  const { policy } = outside;
  // Dry run of "Revoke tokens unused for (days)": what the saved value concerns today.
  const idle = policy.revokeUnusedAfterDays === null ? null : await countIdleTokens(actor.organizationId, policy.revokeUnusedAfterDays);
  return (
    <section className="stack">
      <div>
        <h1>Token policy</h1>
        <p className="muted">
          Applies to every token of your organization when it is created or edited. Tokens created under an earlier, looser policy keep
          working: they are marked “Outside policy” in the token table, where you can revoke them.
        </p>
      </div>
      <p className={outside.total > 0 ? "alert alert-warning" : "muted policy-status"} role="status">
        {outside.total === 0 ? (
          "Every working token is within the policy."
        ) : (
          <>
            {formatCount(outside, "working token")} {outside.total === 1 && !outside.totalCapped ? "is" : "are"} outside the policy.{" "}
            <Link href={consolePath(org, "/admin/tokens?policy=outside")}>Review them</Link>
          </>
        )}
      </p>
      {idle === null ? null : (
        <p className="muted policy-status" role="status" aria-label="Unused tokens">
          {idle === 0
            ? `No working token has been unused for ${policy.revokeUnusedAfterDays} days.`
            : `${idle} working token${idle === 1 ? " has" : "s have"} been unused for ${policy.revokeUnusedAfterDays} days or more: their owners are told, and each is revoked a week after its notice unless it is used.`}
        </p>
      )}
      <PolicyForm policy={policy} />
      <div>
        <h2>Account security</h2>
        <p className="muted">Who must sign in to this organization&apos;s console with a second factor as well as a password.</p>
      </div>
      <TwoFactorPolicyForm {...await twoFactorPolicyOf(actor)} />
    </section>
  );
}
