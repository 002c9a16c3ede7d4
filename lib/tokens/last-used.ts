import { and, eq, isNull, lt, or } from "drizzle-orm";
import { getDb } from "@/db";
import { personalAccessTokens as tokens } from "@/db/schema";
import type { RequestContext } from "@/lib/audit";

const INTERVAL_MS = 60_000;
const holder = globalThis as typeof globalThis & { __tesseraLastUsed?: Map<string, number> };
const recent = () => (holder.__tesseraLastUsed ??= new Map());

/**
 * Records that a token was used — at most once a minute per token, off the request's path:
 * the caller does not wait, and a failed write never fails the request.
 */
export function noteTokenUse(tokenId: string, context: RequestContext, now = new Date()): void {
  const last = recent().get(tokenId) ?? 0;
  if (now.getTime() - last < INTERVAL_MS) return;
  if (recent().size > 50_000) recent().clear();
  recent().set(tokenId, now.getTime());
  void writeLastUse(tokenId, context, now).catch((error: unknown) => {
    recent().delete(tokenId);
    console.warn(`[tessera] could not record token use: ${error instanceof Error ? error.name : "error"}`);
  });
}

async function writeLastUse(tokenId: string, context: RequestContext, now: Date): Promise<void> {
  const db = await getDb();
  // The condition also keeps other instances from writing more than once a minute.
  await db
    .update(tokens)
    .set({ lastUsedAt: now, lastUsedIp: context.ip, lastUsedUserAgent: context.userAgent?.slice(0, 512) ?? null })
    .where(
      and(
        eq(tokens.id, tokenId),
        or(isNull(tokens.lastUsedAt), lt(tokens.lastUsedAt, new Date(now.getTime() - INTERVAL_MS))),
      ),
    );
}
