import { and, eq, inArray, isNotNull, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { personalAccessTokens as tokens, retiredAccountSids } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { invalid } from "@/lib/shared/errors";
import { notifyTokensChangedByAdmin } from "@/lib/notifications/token-events";
import { TOKEN_LIMITS, tokenSchema } from "@/lib/validation/token";
import { lockTokenForChange } from "./load-for-change";
import { inGraceCondition } from "./queries";
import { isUuid } from "@/lib/shared/ids";
import { authorizeTokenAction, tokensInReach } from "./access";
import { evictLocally } from "./verification-cache";
import { auditSnapshot, tokenTarget } from "./view";

const reasonSchema = tokenSchema.shape.revokeReason.optional();

function parseReason(reason: string | undefined): string | null {
  const parsed = reasonSchema.safeParse(reason);
  if (!parsed.success) throw invalid({ revokeReason: z.flattenError(parsed.error).formErrors });
  return parsed.data || null;
}

/** Tokens a revocation changes: live ones, and rotated-out values still in their grace. */
const revocable = (now: Date) => or(isNull(tokens.revokedAt), inGraceCondition(now));

/**
 * Revoking a value also ends the grace of the values it replaced: revoking a token means none of
 * its values works any more.
 */
async function endPredecessorGraces(tx: Executor, organizationId: string, ids: readonly string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const predecessors = await tx
    .select({ id: tokens.rotatedFromId })
    .from(tokens)
    .where(and(eq(tokens.organizationId, organizationId), inArray(tokens.id, [...ids]), isNotNull(tokens.rotatedFromId)));
  const graced = predecessors.map((row) => row.id).filter((id): id is string => id !== null);
  if (graced.length === 0) return;
  const ended = await tx
    .update(tokens)
    .set({ graceUntil: now, updatedAt: now })
    .where(and(eq(tokens.organizationId, organizationId), inArray(tokens.id, graced), inGraceCondition(now)))
    .returning({ id: tokens.id });
  for (const token of ended) evictLocally(`token:${token.id}`);
}

/**
 * What a revocation writes. A rotated-out value in its grace is already revoked (its successor
 * holds the account SID): revoking it again ends its grace now and keeps the rotation's record.
 */
function revocation(actor: Actor, revokeReason: string | null, now: Date) {
  const rotated = sql`${tokens.rotatedAt} is not null`;
  return {
    revokedAt: sql`case when ${rotated} then ${tokens.revokedAt} else ${now.toISOString()}::timestamptz end`,
    revokedById: sql`case when ${rotated} then ${tokens.revokedById} else ${actor.userId}::uuid end`,
    revokeReason: sql`case when ${rotated} then ${tokens.revokeReason} else ${revokeReason}::text end`,
    graceUntil: sql`case when ${rotated} then ${now.toISOString()}::timestamptz else ${tokens.graceUntil} end`,
    updatedAt: now,
  };
}

export type RevokeResult = { revoked: string[]; skipped: number };

/**
 * Revokes tokens permanently. Ids outside the actor's reach, unknown or already revoked are
 * skipped (and counted), never revealed. Check-then-act is one UPDATE … RETURNING.
 */
export async function revokeTokens(actor: Actor, ids: readonly string[], reason?: string, now = new Date()): Promise<RevokeResult> {
  const revokeReason = parseReason(reason);
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw invalid({ ids: ["Select at least one token."] });
  if (unique.length > TOKEN_LIMITS.bulkRevoke) throw invalid({ ids: [`Revoke at most ${TOKEN_LIMITS.bulkRevoke} tokens at a time.`] });
  authorizeTokenAction(actor, "revoke");
  const candidates = unique.filter(isUuid);
  if (candidates.length === 0) return { revoked: [], skipped: unique.length };

  const db = await getDb();
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(tokens)
      .set(revocation(actor, revokeReason, now))
      .where(and(tokensInReach(actor), inArray(tokens.id, candidates), revocable(now)))
      .returning();
    await endPredecessorGraces(
      tx,
      actor.organizationId,
      revoked.map((token) => token.id),
      now,
    );
    for (const token of revoked) {
      evictLocally(`token:${token.id}`);
      await recordChange(tx, actor, "token.revoked", tokenTarget(token), { reason: revokeReason, bulk: unique.length > 1 });
    }
    await notifyTokensChangedByAdmin(tx, actor, revoked, { kind: "revoked", reason: revokeReason });
    return { revoked: revoked.map((token) => token.id), skipped: unique.length - revoked.length };
  });
}

/** Revokes one token; "not found" outside the actor's reach, a conflict when already revoked. */
export async function revokeToken(actor: Actor, id: string, reason?: string, now = new Date()): Promise<void> {
  const revokeReason = parseReason(reason);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const { token } = await lockTokenForChange(tx, actor, id, "revoke", { now });
    await tx
      .update(tokens)
      .set(revocation(actor, revokeReason, now))
      .where(eq(tokens.id, token.id));
    await endPredecessorGraces(tx, actor.organizationId, [token.id], now);
    await recordChange(tx, actor, "token.revoked", tokenTarget(token), { reason: revokeReason });
    await notifyTokensChangedByAdmin(tx, actor, [token], { kind: "revoked", reason: revokeReason });
  });
}

/** Deletes a token (it stops working at once); the audit trail keeps what it was. */
export async function deleteToken(actor: Actor, id: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const { token } = await lockTokenForChange(tx, actor, id, "delete");
    await tx.delete(tokens).where(eq(tokens.id, token.id));
    await tx
      .insert(retiredAccountSids)
      .values({ organizationId: token.organizationId, accountSid: token.accountSid })
      .onConflictDoNothing();
    await recordChange(tx, actor, "token.deleted", tokenTarget(token), {
      ...auditSnapshot(token),
      wasRevoked: token.revokedAt !== null,
      createdAt: token.createdAt.toISOString(),
    });
  });
}
