import type { Metadata } from "next";
import { TokenPage, type TokenSearchParams } from "@/components/tokens/token-page";
import { currentAdminActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";

export const metadata: Metadata = { title: "Personal access tokens" };

type Props = { params: Promise<{ org: string }>; searchParams: Promise<TokenSearchParams> };

export default async function AdminTokensPage({ params, searchParams }: Props) {
  const { org } = await params;
  const actor = await currentAdminActor(org);
  return (
    <section>
      <h1>Personal access tokens</h1>
      <p className="muted">Every token of your organization. Tokens act as the service rep they belong to.</p>
      <TokenPage actor={actor} mode="admin" path={consolePath(org, "/admin/tokens")} searchParams={await searchParams} />
    </section>
  );
}
