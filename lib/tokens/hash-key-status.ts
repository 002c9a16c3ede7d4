import { and, count, gt, isNull, or } from "drizzle-orm";
import { getDb } from "@/db";
import { applicationSecrets, personalAccessTokens as tokens } from "@/db/schema";
import { getEnv } from "@/lib/env";

export type HashKeyStatus = { version: number; liveTokens: number; liveClientSecrets: number; key: "current" | "previous" | "unknown" };

/**
 * How many live tokens (not revoked, not expired; inactive ones may be switched back on) and
 * unrevoked client secrets of applications are hashed under each key version, the current and
 * previous keys always listed. Values on an "unknown" version no longer authenticate: their key
 * is neither the current nor the previous one. (Both move to the current key at their first use.)
 */
export async function readHashKeyStatus(now = new Date()): Promise<HashKeyStatus[]> {
  const db = await getDb();
  const [tokenRows, secretRows] = await Promise.all([
    db
      .select({ version: tokens.hashKeyVersion, n: count() })
      .from(tokens)
      .where(and(isNull(tokens.revokedAt), or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now))))
      .groupBy(tokens.hashKeyVersion),
    db
      .select({ version: applicationSecrets.hashKeyVersion, n: count() })
      .from(applicationSecrets)
      .where(isNull(applicationSecrets.revokedAt))
      .groupBy(applicationSecrets.hashKeyVersion),
  ]);
  const { tokenHashKey, previousTokenHashKey } = getEnv();
  const liveTokens = new Map(tokenRows.map((row) => [row.version, row.n]));
  const liveSecrets = new Map(secretRows.map((row) => [row.version, row.n]));
  const versions = new Set([...liveTokens.keys(), ...liveSecrets.keys(), tokenHashKey.version]);
  if (previousTokenHashKey) versions.add(previousTokenHashKey.version);
  const keyOf = (version: number): HashKeyStatus["key"] =>
    version === tokenHashKey.version ? "current" : version === previousTokenHashKey?.version ? "previous" : "unknown";
  return [...versions]
    .map((version) => ({
      version,
      liveTokens: liveTokens.get(version) ?? 0,
      liveClientSecrets: liveSecrets.get(version) ?? 0,
      key: keyOf(version),
    }))
    .sort((a, b) => a.version - b.version);
}
