import { and, eq, inArray, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { personalAccessTokens as tokens } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { tokenLeakedMessage } from "@/lib/notifications/messages";
import { byOrganization, endGrace, findReportedTokens, notifyOwnersAndAdmins } from "./reported";
import { evictLocally } from "./verification-cache";

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
  const found = await findReportedTokens(values, now);
  if (found.length === 0) return 0;
  const db = await getDb();
  let revoked = 0;
  for (const [organizationId, matches] of byOrganization(found)) {
    const ids = matches.map((match) => match.id);
    revoked += await db.transaction(async (tx) => {
      // This instance forgets them now; the trigger's NOTIFY tells every instance at commit.
      for (const id of ids) evictLocally(`token:${id}`);
      const changed = await tx
        .update(tokens)
        .set({ revokedAt: now, revokeReason: LEAK_REASON, updatedAt: now })
        .where(and(eq(tokens.organizationId, organizationId), inArray(tokens.id, ids), isNull(tokens.revokedAt)))
        .returning();
      // A rotated-out value in its grace is already revoked: its grace ends now.
      const graced = await endGrace(tx, organizationId, ids, now);
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
      await notifyOwnersAndAdmins(tx, organizationId, all, "token.leaked", tokenLeakedMessage);
      return all.length;
    });
  }
  return revoked;
}
