import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { organizations, persons, personalAccessTokens as tokens, users, type PersonalAccessToken } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import { getEnv } from "@/lib/env";
import type { RequestContext } from "@/lib/http/request-context";
import { organizationConsoleUrl } from "@/lib/notifications/console-url";
import { tokenLeakedMessage } from "@/lib/notifications/messages";
import { enqueueNotifications, type NewNotification } from "@/lib/notifications/outbox";
import { isWellFormedToken } from "./format";
import { hashToken } from "./hash";
import { inGraceCondition } from "./queries";
import { evictLocally } from "./verification-cache";

export const MAX_REPORTED_CREDENTIALS = 1000;
export const LEAK_REASON = "Reported leaked";

/**
 * Revokes the usable tokens among values someone reports as leaked (SPEC §12, like GitHub's
 * credential revocation API): anyone may report, so the caller learns nothing of what matched.
 * Each match is revoked with reason "Reported leaked" (a rotated-out value in its grace has its
 * grace ended), audited with the reporter's address, and its owner and the organization's admins
 * are told — in one transaction per organization. Returns how many were revoked, for tests and
 * logs only; the route answers 202 whatever it is.
 */
export async function revokeReportedCredentials(values: readonly unknown[], context: RequestContext, now = new Date()): Promise<number> {
  const { tokenHashKey, previousTokenHashKey } = getEnv();
  const wellFormed = [...new Set(values.filter(isWellFormedToken))].slice(0, MAX_REPORTED_CREDENTIALS);
  if (wellFormed.length === 0) return 0;
  const hashes = wellFormed.flatMap((value) => [
    hashToken(value, tokenHashKey),
    ...(previousTokenHashKey ? [hashToken(value, previousTokenHashKey)] : []),
  ]);
  const db = await getDb();
  const found = await db
    .select({ id: tokens.id, organizationId: tokens.organizationId })
    .from(tokens)
    .where(and(inArray(tokens.secretHash, hashes), or(isNull(tokens.revokedAt), inGraceCondition(now))));
  const byOrganization = new Map<string, string[]>();
  for (const token of found) byOrganization.set(token.organizationId, [...(byOrganization.get(token.organizationId) ?? []), token.id]);
  let revoked = 0;
  for (const [organizationId, ids] of byOrganization) {
    revoked += await db.transaction(async (tx) => {
      // This instance forgets them now; the trigger's NOTIFY tells every instance at commit.
      for (const id of ids) evictLocally(`token:${id}`);
      const changed = await tx
        .update(tokens)
        .set({ revokedAt: now, revokeReason: LEAK_REASON, updatedAt: now })
        .where(and(eq(tokens.organizationId, organizationId), inArray(tokens.id, ids), isNull(tokens.revokedAt)))
        .returning();
      // A rotated-out value in its grace is already revoked: its grace ends now.
      const graced = await tx
        .update(tokens)
        .set({ graceUntil: now, updatedAt: now })
        .where(and(eq(tokens.organizationId, organizationId), inArray(tokens.id, ids), inGraceCondition(now)))
        .returning();
      const all = [...changed, ...graced];
      for (const token of all) {
        await recordAuditEvent(tx, {
          organizationId,
          action: "token.revoked",
          targetType: "token",
          targetId: token.id,
          targetUserId: token.userId,
          context,
          details: { reason: LEAK_REASON, reportedLeaked: true },
          occurredAt: now,
        });
      }
      await notifyLeaked(tx, organizationId, all);
      return all.length;
    });
  }
  return revoked;
}

/** One mail per recipient (the owners, and every active admin) listing the tokens that concern them. */
async function notifyLeaked(tx: Executor, organizationId: string, leaked: PersonalAccessToken[]): Promise<void> {
  if (leaked.length === 0) return;
  const members = await tx
    .select({
      id: users.id,
      email: persons.email,
      displayName: users.displayName,
      role: users.role,
      organizationName: organizations.name,
      organizationSlug: organizations.slug,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.organizationId, organizationId), eq(users.active, true)));
  const rows: NewNotification[] = [];
  for (const member of members) {
    const concerned = member.role === "admin" ? leaked : leaked.filter((token) => token.userId === member.id);
    if (concerned.length === 0) continue;
    rows.push({
      organizationId,
      recipientUserId: member.id,
      recipient: member.email,
      kind: "token.leaked",
      ...tokenLeakedMessage({
        recipient: member,
        tokens: concerned,
        organizationName: member.organizationName,
        consoleUrl: organizationConsoleUrl(member.organizationSlug),
      }),
    });
  }
  await enqueueNotifications(tx, rows);
}
