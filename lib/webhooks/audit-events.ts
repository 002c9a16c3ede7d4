import type { Executor } from "@/db";
import type { AuditEventInput } from "@/lib/audit/record";
import { webhookEventForAudit } from "./events";
import { enqueueTokenEvent } from "./enqueue";

/**
 * The webhook deliveries of an audited token change, in its transaction: recordAuditEvent calls
 * this for every event, so every path that changes a token (console, API, leak reports, jobs)
 * produces its webhook without remembering to.
 */
export async function enqueueWebhooksForAudit(executor: Executor, event: AuditEventInput): Promise<void> {
  if (event.targetType !== "token" || !event.targetId || !event.organizationId) return;
  const type = webhookEventForAudit(event.action, event.details);
  if (!type) return;
  await enqueueTokenEvent(executor, {
    organizationId: event.organizationId,
    event: type,
    tokenIds: [event.targetId],
    occurredAt: event.occurredAt ?? new Date(),
    actor: event.actorUserId || event.actorTokenId ? { userId: event.actorUserId ?? null, tokenId: event.actorTokenId ?? null } : null,
    extra: extraData(event.details ?? {}),
  });
}

/** What a receiver may want besides the token: why, and which fields changed (names only). */
function extraData(details: Record<string, unknown>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  if (typeof details.reason === "string") extra.reason = details.reason;
  const changes = details.changes;
  if (typeof changes === "object" && changes !== null && !Array.isArray(changes)) extra.changed_fields = Object.keys(changes);
  if (typeof details.rotatedFromId === "string") extra.rotated_from_id = details.rotatedFromId;
  return extra;
}
