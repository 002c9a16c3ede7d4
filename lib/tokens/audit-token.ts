import type { Executor } from "@/db";
import type { PersonalAccessToken } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordAuditEvent, type AuditAction } from "@/lib/audit/record";

/** Records a change to a token, by the acting user (and API token, if any), in the change's transaction. */
export function auditTokenChange(
  executor: Executor,
  actor: Actor,
  action: AuditAction,
  token: Pick<PersonalAccessToken, "id" | "userId">,
  details: Record<string, unknown>,
): Promise<void> {
  return recordAuditEvent(executor, {
    organizationId: actor.organizationId,
    action,
    actorUserId: actor.userId,
    actorTokenId: actor.token?.id ?? null,
    targetType: "token",
    targetId: token.id,
    targetUserId: token.userId,
    context: actor.context,
    details,
  });
}
