import { and, count, gt, isNull, or } from "drizzle-orm";
import { getDb } from "@/db";
import { personalAccessTokens as tokens } from "@/db/schema";
import { getEnv } from "@/lib/env";

export type HashKeyStatus = { version: number; liveTokens: number; key: "current" | "previous" | "unknown" };

/**
 * How many live tokens (not revoked, not expired; inactive ones may be switched back on) are
 * hashed under each key version, the current and previous keys always listed. Tokens on an
 * "unknown" version no longer authenticate: their key is neither the current nor the previous one.
 */
export async function readHashKeyStatus(now = new Date()): Promise<HashKeyStatus[]> {
  const db = await getDb();
  const rows = await db
    .select({ version: tokens.hashKeyVersion, liveTokens: count() })
    .from(tokens)
    .where(and(isNull(tokens.revokedAt), or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now))))
    .groupBy(tokens.hashKeyVersion);
  const { tokenHashKey, previousTokenHashKey } = getEnv();
  const counts = new Map(rows.map((row) => [row.version, row.liveTokens]));
  for (const key of [tokenHashKey, previousTokenHashKey]) if (key && !counts.has(key.version)) counts.set(key.version, 0);
  const keyOf = (version: number): HashKeyStatus["key"] =>
    version === tokenHashKey.version ? "current" : version === previousTokenHashKey?.version ? "previous" : "unknown";
  return [...counts].map(([version, liveTokens]) => ({ version, liveTokens, key: keyOf(version) })).sort((a, b) => a.version - b.version);
}
