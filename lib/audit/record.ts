import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { auditEvents } from "@/db/schema";
import { evictLocally } from "@/lib/tokens/verification-cache";

export const AUDIT_ACTIONS = [
  "token.created",
  "token.updated",
  "token.activated",
  "token.deactivated",
  "token.regenerated",
  "token.revoked",
  "token.deleted",
  "token.exchanged",
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.activated",
  "user.password_reset",
  "organization.created",
  "policy.updated",
  "auth.failed",
  "sign_in.succeeded",
  "sign_in.failed",
  "sign_out",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Where a change came from; recorded with every event. */
export type RequestContext = { ip: string | null; userAgent: string | null };

export type AuditEventInput = {
  organizationId: string | null;
  action: AuditAction;
  actorUserId?: string | null;
  actorTokenId?: string | null;
  targetType?: "token" | "user" | "organization";
  targetId?: string | null;
  targetUserId?: string | null;
  context?: RequestContext;
  details?: Record<string, unknown>;
  /** Default: the database's clock. */
  occurredAt?: Date;
};

/**
 * Writes one audit event. Call it with the transaction that makes the change, so the change
 * and its record commit together or not at all. `details` must never hold a token value.
 */
export async function recordAuditEvent(executor: Executor, event: AuditEventInput): Promise<void> {
  // Every change to a token, user or organization is audited, which makes this the one place
  // that reliably knows what this process just changed.
  if (event.targetType && event.targetId && !event.action.startsWith("sign_") && event.action !== "auth.failed") {
    evictLocally(`${event.targetType}:${event.targetId}`);
  }
  await executor.insert(auditEvents).values({
    organizationId: event.organizationId,
    action: event.action,
    actorUserId: event.actorUserId ?? null,
    actorTokenId: event.actorTokenId ?? null,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    targetUserId: event.targetUserId ?? null,
    ip: event.context?.ip ?? null,
    userAgent: event.context?.userAgent?.slice(0, 512) ?? null,
    details: event.details ?? {},
    occurredAt: event.occurredAt,
  });
}

const MINUTE_MS = 60_000;
// First key of the two-key advisory locks taken here, so they cannot meet anyone else's.
const COUNTED_LOCK_SPACE = 0x7e55_a11d;

/**
 * Records a repeated failure as one event per subject and minute: the first of the minute is
 * inserted with `details.count` 1 and each later one increments it, so a flood of failures (a
 * leaked revoked token in a busy job, a sign-in script) cannot grow the audit log without bound.
 * `sameSubject` picks the subject's events besides the action and the minute; `subjectKey` names
 * the subject for a transaction-scoped advisory lock, which makes "increment, or else insert"
 * atomic across instances.
 */
export async function recordCountedAuditEvent(
  event: AuditEventInput & { occurredAt: Date },
  sameSubject: SQL | undefined,
  subjectKey: string,
): Promise<void> {
  const minute = Math.floor(event.occurredAt.getTime() / MINUTE_MS) * MINUTE_MS;
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${COUNTED_LOCK_SPACE}, hashtext(${`${event.action}|${subjectKey}`}))`);
    const counted = await tx
      .update(auditEvents)
      .set({
        details: sql`${auditEvents.details} || jsonb_build_object('count', coalesce((${auditEvents.details}->>'count')::int, 1) + 1)`,
      })
      .where(
        and(
          eq(auditEvents.action, event.action),
          sameSubject,
          gte(auditEvents.occurredAt, new Date(minute)),
          lt(auditEvents.occurredAt, new Date(minute + MINUTE_MS)),
        ),
      )
      .returning({ id: auditEvents.id });
    if (counted.length === 0) await recordAuditEvent(tx, { ...event, details: { ...event.details, count: 1 } });
  });
}
