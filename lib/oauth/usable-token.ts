import { and, eq, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { personalAccessTokens as tokens } from "@/db/schema";
import { failureOf, principalOf, readVerificationRecord, type TokenPrincipal } from "@/lib/tokens/verify";

/**
 * The PAT behind an exchanged JWT, by id within one organization, if it could still act right
 * now — the same record and conditions verifyToken applies to the value itself, read from the
 * database (not the cache) so a revocation counts at once. Another organization's token is
 * simply not found.
 */
export async function loadUsableToken(organizationId: string, tokenId: string, now = new Date()): Promise<TokenPrincipal | null> {
  const record = await readVerificationRecord(await getDb(), and(eq(tokens.organizationId, organizationId), eq(tokens.id, tokenId)) as SQL);
  if (!record || failureOf(record, now) !== null) return null;
  return principalOf(record);
}
