import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { auditEvents } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import type { RequestContext } from "@/lib/http/request-context";
import { enqueueWebhooksForAudit } from "@/lib/webhooks/audit-events";

export const AUDIT_ACTIONS = [
  "token.created",
  "token.updated",
  "token.activated",
  "token.deactivated",
  "token.regenerated",
  "token.reused",
  "token.revoked",
  "token.deleted",
  "token.exchanged",
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.activated",
  "user.password_reset",
  "user.password_reset_link_sent",
  "user.invited",
  "user.invitation_accepted",
  "user.invitation_declined",
  "user.invitation_withdrawn",
  "person.password_changed",
  "person.session_ended",
  "person.two_factor_enabled",
  "person.two_factor_disabled",
  "person.recovery_codes_regenerated",
  "person.recovery_code_used",
  "person.passkey_added",
  "person.passkey_removed",
  "organization.created",
  "application.created",
  "application.updated",
  "application.archived",
  "application.unarchived",
  "application.imported",
  "application.secret_created",
  "application.secret_revoked",
  "policy.updated",
  "webhook.created",
  "webhook.updated",
  "webhook.deleted",
  "webhook.secret_rotated",
  "auth.failed",
  "sign_in.succeeded",
  "sign_in.failed",
  "sign_out",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditEventInput = {
  organizationId: string | null;
  action: AuditAction;
  actorUserId?: string | null;
  actorTokenId?: string | null;
  targetType?: AuditTarget["type"];
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
 * A token event also queues its webhook deliveries here, in the same transaction (SPEC §12).
 */
export async function recordAuditEvent(executor: Executor, event: AuditEventInput): Promise<void> {
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
  await enqueueWebhooksForAudit(executor, event);
}

/** One field's change, as recorded in `details.changes`. */
export type Change<T = unknown> = { from: T; to: T };

/** What a change was made to; a token's or user's event also names the user it concerns. */
export type AuditTarget = { type: "token" | "user" | "organization" | "application" | "webhook"; id: string; userId?: string | null };

/**
 * Records what an actor (a console user, or an API token acting for its owner) did to one
 * target, in the change's transaction: the one writer for every change an actor makes.
 */
export function recordChange(
  executor: Executor,
  actor: Actor,
  action: AuditAction,
  target: AuditTarget,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAuditEvent(executor, {
    organizationId: actor.organizationId,
    action,
    actorUserId: actor.userId,
    actorTokenId: actor.token?.id ?? null,
    targetType: target.type,
    targetId: target.id,
    targetUserId: target.userId ?? null,
    context: actor.context,
    details,
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
