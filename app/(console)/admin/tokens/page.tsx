import type { Metadata } from "next";
import { TokenPage, type TokenSearchParams } from "@/components/tokens/token-page";
import { currentActor } from "@/lib/actions/console-action";
import { requireAdmin } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Personal access tokens" };

export default async function AdminTokensPage({ searchParams }: { searchParams: Promise<TokenSearchParams> }) {
  await requireAdmin();
  const actor = await currentActor();
  return (
    <section>
      <h1>Personal access tokens</h1>
      <p className="muted">Every token of your organization. Tokens act as the service rep they belong to.</p>
      <TokenPage actor={actor} mode="admin" path="/admin/tokens" searchParams={await searchParams} />
    </section>
  );
}
