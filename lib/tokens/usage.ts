import { and, desc, eq, gte, sql, type SQL } from "drizzle-orm";
import { getDb } from "@/db";
import { auditEvents, personalAccessTokens as tokens, tokenClientAddresses, tokenUsageHourly } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import { DAY_MS } from "@/lib/shared/time";
import { authorizeTokenAction, tokenInReach, tokensInReach } from "./access";

export const USAGE_DAYS = 30;
const ADDRESSES = 10;
const FAILURES = 10;

export type TokenUsage = {
  /** One entry per UTC day, oldest first, the last USAGE_DAYS days including today. */
  days: { day: string; requests: number; failures: number }[];
  /** The last distinct client addresses, most recent first. */
  addresses: { ip: string; userAgent: string | null; firstSeenAt: string; lastSeenAt: string; requests: number }[];
  /** The last refused authentications, most recent first (one per minute, address and reason, with a count). */
  failures: { at: string; reason: string; ip: string | null; count: number }[];
};

/**
 * A token's usage (SPEC §11): requests and refusals per day over 30 days, its last client
 * addresses, its last failures. Another organization's or another rep's token is not found.
 */
export async function getTokenUsage(actor: Actor, id: string, now = new Date()): Promise<TokenUsage> {
  authorizeTokenAction(actor, "read");
  if (!isUuid(id)) throw notFound();
  const db = await getDb();
  const [token] = await db.select({ id: tokens.id }).from(tokens).where(tokenInReach(actor, id));
  if (!token) throw notFound();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const since = new Date(today - (USAGE_DAYS - 1) * DAY_MS);
  const dayOf = sql<string>`to_char(${tokenUsageHourly.hour} at time zone 'UTC', 'YYYY-MM-DD')`;
  const [perDay, addresses, failures] = await Promise.all([
    db
      .select({
        day: dayOf,
        requests: sql<number>`sum(${tokenUsageHourly.requests})::int`,
        failures: sql<number>`sum(${tokenUsageHourly.failures})::int`,
      })
      .from(tokenUsageHourly)
      .where(
        and(eq(tokenUsageHourly.organizationId, actor.organizationId), eq(tokenUsageHourly.tokenId, id), gte(tokenUsageHourly.hour, since)),
      )
      .groupBy(dayOf),
    db
      .select()
      .from(tokenClientAddresses)
      .where(and(eq(tokenClientAddresses.organizationId, actor.organizationId), eq(tokenClientAddresses.tokenId, id)))
      .orderBy(desc(tokenClientAddresses.lastSeenAt))
      .limit(ADDRESSES),
    db
      .select({ at: auditEvents.occurredAt, details: auditEvents.details, ip: auditEvents.ip })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, actor.organizationId),
          eq(auditEvents.action, "auth.failed"),
          eq(auditEvents.targetType, "token"),
          eq(auditEvents.targetId, id),
        ),
      )
      .orderBy(desc(auditEvents.occurredAt))
      .limit(FAILURES),
  ]);
  const byDay = new Map(perDay.map((row) => [row.day, row]));
  return {
    days: Array.from({ length: USAGE_DAYS }, (_, index) => {
      const day = new Date(since.getTime() + index * DAY_MS).toISOString().slice(0, 10);
      const row = byDay.get(day);
      return { day, requests: row?.requests ?? 0, failures: row?.failures ?? 0 };
    }),
    addresses: addresses.map((row) => ({
      ip: row.ip,
      userAgent: row.userAgent,
      firstSeenAt: row.firstSeenAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      requests: row.requests,
    })),
    failures: failures.map((row) => {
      const details = row.details as { reason?: unknown; count?: unknown };
      return {
        at: row.at.toISOString(),
        reason: typeof details.reason === "string" ? details.reason : "unknown",
        ip: row.ip,
        count: typeof details.count === "number" ? details.count : 1,
      };
    }),
  };
}

export type RotationStep = {
  id: string;
  hint: string;
  createdAt: string;
  /** When this value was replaced, and until when it kept working (null: it is the lineage's newest). */
  rotatedAt: string | null;
  stoppedAt: string | null;
  lastUsedAt: string | null;
  /** The token whose history this is. */
  current: boolean;
};

/**
 * The token's lineage (SPEC §11), oldest first: every value it replaced and every value that
 * replaced it, each within the actor's reach (a lineage never leaves its owner or organization).
 */
export async function getRotationHistory(actor: Actor, id: string): Promise<RotationStep[]> {
  authorizeTokenAction(actor, "read");
  if (!isUuid(id)) throw notFound();
  const db = await getDb();
  const row = async (where: SQL) => {
    const [found] = await db
      .select()
      .from(tokens)
      .where(and(tokensInReach(actor), where))
      .limit(1);
    return found;
  };
  const start = await row(eq(tokens.id, id));
  if (!start) throw notFound();
  const lineage = [start];
  // A lineage is a handful of rotations; the bound keeps a long one from costing a page load much.
  for (let back = start; back.rotatedFromId && lineage.length < 50;) {
    const previous = await row(eq(tokens.id, back.rotatedFromId));
    if (!previous) break;
    lineage.unshift(previous);
    back = previous;
  }
  for (let forward = start; lineage.length < 50;) {
    const next = await row(eq(tokens.rotatedFromId, forward.id));
    if (!next) break;
    lineage.push(next);
    forward = next;
  }
  return lineage.map((token) => ({
    id: token.id,
    hint: token.hint,
    createdAt: token.createdAt.toISOString(),
    rotatedAt: token.rotatedAt?.toISOString() ?? null,
    stoppedAt: token.rotatedAt ? (token.graceUntil ?? token.rotatedAt).toISOString() : null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    current: token.id === id,
  }));
}
