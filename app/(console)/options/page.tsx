import type { Metadata } from "next";
import { TokenPage, type TokenSearchParams } from "@/components/tokens/token-page";
import { currentActor } from "@/lib/actions/console-action";

export const metadata: Metadata = { title: "Options" };

export default async function OptionsPage({ searchParams }: { searchParams: Promise<TokenSearchParams> }) {
  const actor = await currentActor();
  return (
    <section>
      <h1>Options</h1>
      <h2>Personal access tokens</h2>
      <p className="muted">Tokens let integrations call the Tessera API as you. Treat them like passwords: each value is shown once.</p>
      <TokenPage actor={actor} mode="own" path="/options" searchParams={await searchParams} />
    </section>
  );
}
