import { and, eq, gt, inArray, isNotNull, isNull, lt, or } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { notifications, organizations, persons, personalAccessTokens as tokens, users, type PersonalAccessToken } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { organizationConsoleUrl } from "@/lib/notifications/console-url";
import { tokenReusedMessage } from "@/lib/notifications/messages";
import { enqueueNotifications, type NewNotification } from "@/lib/notifications/outbox";
import { loadPolicy } from "@/lib/organizations/queries";
import { evictLocally } from "./verification-cache";

/** One alert an hour per rotated-out value, however often and on however many instances it is tried. */
const REUSE_ALERT_INTERVAL_MS = 60 * 60 * 1000;

/**
 * A rotated-out value was used after its grace (SPEC §11): the use was refused already; this
 * records `token.reused` with the address, tells the owner and the organization's admins, and —
 * when the policy says so — deactivates the token's current value, all in one transaction. The
 * claim on `reused_at` makes it once an hour per token across instances.
 */
export async function reportTokenReuse(
  failure: { tokenId: string; organizationId: string },
  context: RequestContext,
  now = new Date(),
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [token] = await tx
      .select()
      .from(tokens)
      .where(
        and(
          eq(tokens.id, failure.tokenId),
          eq(tokens.organizationId, failure.organizationId),
          isNotNull(tokens.rotatedAt),
          or(isNull(tokens.reusedAt), lt(tokens.reusedAt, new Date(now.getTime() - REUSE_ALERT_INTERVAL_MS))),
        ),
      )
      .for("update", { skipLocked: true });
    if (!token) return false;
    await tx.update(tokens).set({ reusedAt: now }).where(eq(tokens.id, token.id));
    const policy = await loadPolicy(tx, token.organizationId);
    // Once per old value: whoever holds a leaked one cannot switch its successor off again and again.
    const deactivated = policy.deactivateSuccessorOnReuse && token.reusedAt === null ? await deactivateSuccessors(tx, token, now) : [];
    await recordAuditEvent(tx, {
      organizationId: token.organizationId,
      action: "token.reused",
      actorTokenId: token.id,
      targetType: "token",
      targetId: token.id,
      targetUserId: token.userId,
      context,
      details: {
        rotatedAt: token.rotatedAt?.toISOString() ?? null,
        graceEnded: token.graceUntil?.toISOString() ?? null,
        deactivatedSuccessorIds: deactivated,
      },
      occurredAt: now,
    });
    await notifyReuse(tx, token, context, now, deactivated.length > 0);
    return true;
  });
}

/** Switches off the working values that descend from this one (its successor, and theirs). */
async function deactivateSuccessors(tx: Executor, token: PersonalAccessToken, now: Date): Promise<string[]> {
  const deactivated: string[] = [];
  let parents = [token.id];
  // A lineage is short (one value per rotation); the bound guards against a cycle nobody can make.
  for (let depth = 0; depth < 50 && parents.length > 0; depth += 1) {
    const children = await tx
      .select({ id: tokens.id, revokedAt: tokens.revokedAt, active: tokens.active })
      .from(tokens)
      .where(and(eq(tokens.organizationId, token.organizationId), inArray(tokens.rotatedFromId, parents)));
    const live = children.filter((child) => child.revokedAt === null && child.active).map((child) => child.id);
    if (live.length > 0) {
      await tx.update(tokens).set({ active: false, updatedAt: now }).where(inArray(tokens.id, live));
      for (const id of live) evictLocally(`token:${id}`);
      deactivated.push(...live);
    }
    parents = children.map((child) => child.id);
  }
  return deactivated;
}

/**
 * The owner and every active admin of the organization, each once; at most one such mail an hour
 * about the owner's tokens (many old values of one person used at once are one alarm, not a flood).
 */
async function notifyReuse(tx: Executor, token: PersonalAccessToken, context: RequestContext, now: Date, successorDeactivated: boolean) {
  const [recent] = await tx
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        eq(notifications.organizationId, token.organizationId),
        eq(notifications.kind, "token.reused"),
        eq(notifications.recipientUserId, token.userId),
        gt(notifications.createdAt, new Date(now.getTime() - REUSE_ALERT_INTERVAL_MS)),
      ),
    )
    .limit(1);
  if (recent && !successorDeactivated) return;
  const recipients = await tx
    .select({
      id: users.id,
      email: persons.email,
      displayName: users.displayName,
      organizationName: organizations.name,
      organizationSlug: organizations.slug,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(eq(users.organizationId, token.organizationId), eq(users.active, true), or(eq(users.id, token.userId), eq(users.role, "admin"))),
    );
  const rows: NewNotification[] = recipients.map((recipient) => ({
    organizationId: token.organizationId,
    recipientUserId: recipient.id,
    recipient: recipient.email,
    kind: "token.reused",
    ...tokenReusedMessage({
      recipient,
      token,
      usedAt: now,
      address: context.ip,
      successorDeactivated,
      organizationName: recipient.organizationName,
      tokenUrl: `${organizationConsoleUrl(recipient.organizationSlug)}/tokens/${token.id}`,
    }),
  }));
  await enqueueNotifications(tx, rows);
}
