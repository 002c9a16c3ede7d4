import { auditEvents } from "@/db/schema";
import type { Executor } from "@/db";
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
