import { formatCount } from "@/components/ui/counts";
import type { Metadata } from "next";
import Link from "next/link";
import { PolicyForm } from "@/components/settings/policy-form";
import { currentAdminActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";
import { listTokens } from "@/lib/tokens/queries";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const actor = await currentAdminActor(org);
  // The listing loads the policy to flag tokens against; it is the policy this page edits.
  const outside = await listTokens(actor, { outsidePolicy: true, limit: 1 });
  const { policy } = outside;
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
      <PolicyForm policy={policy} />
    </section>
  );
}
