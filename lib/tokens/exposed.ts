import { createHash } from "node:crypto";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { auditEvents, personalAccessTokens as tokens, type PersonalAccessToken } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { tokenExposedMessage } from "@/lib/notifications/messages";
import { byOrganization, endGrace, findReportedTokens, notifyOwnersAndAdmins } from "./reported";
import { evictLocally } from "./verification-cache";

/** One match of GitHub's secret scanning, as its partner program reports it. */
export type SecretScanningFinding = { token: string; type: string; url: string };

/** GitHub's false-positive feedback for one finding: the SHA-256 of the value, never the value. */
export type SecretScanningLabel = { tokenHash: string; tokenType: string; label: "true_positive" | "false_positive" };

/** What a `token.deactivated` event of secret scanning records (the webhooks map it to `token.leaked`). */
export type SecretScanningDetails = { source: "github"; type: string; url: string; reportedAt: string };

/**
 * Deactivates the tokens whose values GitHub's secret scanning found in public (SPEC §12). The
 * caller has verified GitHub's signature. Deactivation, unlike a leak report's revocation, is
 * reversible: GitHub's patterns can match a value that is not a live secret. A rotated-out value
 * still in its grace has its grace ended. Each change is audited `token.deactivated` with
 * `details.secretScanning` and the reporter's address, and owners and admins are told where it was
 * found — in one transaction per organization. A token already off is left as it is, so a
 * repeated report changes nothing. Answers each finding with GitHub's label: true_positive for
 * a value of a token that is not revoked or expired (or still in a grace), false_positive otherwise.
 */
export async function deactivateExposedTokens(
  findings: readonly SecretScanningFinding[],
  context: RequestContext,
  now = new Date(),
): Promise<SecretScanningLabel[]> {
  const matches = (
    await findReportedTokens(
      findings.map((finding) => finding.token),
      now,
    )
  ).filter((match) => match.expiresAt === null || match.expiresAt > now);
  // The first finding of a value says where it was found; repeats change nothing more.
  const findingOf = new Map<string, SecretScanningFinding>();
  for (const finding of findings) if (!findingOf.has(finding.token)) findingOf.set(finding.token, finding);
  const db = await getDb();
  for (const [organizationId, inOrganization] of byOrganization(matches)) {
    const foundAt = new Map(inOrganization.map((match) => [match.id, findingOf.get(match.value)]));
    await db.transaction(async (tx) => {
      // An admin switched the token on again after an earlier report of the same place: they
      // judged it a false positive, and the same finding (GitHub's repeat, or a replayed report)
      // does not switch it off again.
      const judged = await judgedFalsePositives(tx, organizationId, [...foundAt.keys()]);
      const ids = [...foundAt.keys()].filter((id) => !judged.has(`${id}|${foundAt.get(id)?.url ?? ""}`));
      if (ids.length === 0) return;
      // This instance forgets them now; the trigger's NOTIFY tells every instance at commit.
      for (const id of ids) evictLocally(`token:${id}`);
      const deactivated = await tx
        .update(tokens)
        .set({ active: false, updatedAt: now })
        .where(and(eq(tokens.organizationId, organizationId), inArray(tokens.id, ids), isNull(tokens.revokedAt), eq(tokens.active, true)))
        .returning();
      // A rotated-out value in its grace is already revoked: its grace ends now.
      const graced = await endGrace(tx, organizationId, ids, now);
      const changed: (PersonalAccessToken & { foundAt: string })[] = [];
      for (const token of [...deactivated, ...graced]) {
        const finding = foundAt.get(token.id);
        const secretScanning: SecretScanningDetails = {
          source: "github",
          type: finding?.type ?? "",
          url: finding?.url ?? "",
          reportedAt: now.toISOString(),
        };
        await recordAuditEvent(tx, {
          organizationId,
          action: "token.deactivated",
          targetType: "token",
          targetId: token.id,
          targetUserId: token.userId,
          context,
          details: { secretScanning, ...(token.rotatedAt ? { graceEnded: true } : {}) },
          occurredAt: now,
        });
        changed.push({ ...token, foundAt: secretScanning.url });
      }
      await notifyOwnersAndAdmins(tx, organizationId, changed, "token.exposed", tokenExposedMessage);
    });
  }
  const matched = new Set(matches.map((match) => match.value));
  return findings.map((finding) => ({
    tokenHash: createHash("sha256").update(finding.token, "utf8").digest("hex"),
    tokenType: finding.type,
    label: matched.has(finding.token) ? "true_positive" : "false_positive",
  }));
}

/** `<token id>|<url>` of earlier secret-scanning findings after which the token was switched on again. */
async function judgedFalsePositives(executor: Executor, organizationId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await executor
    .select({ id: auditEvents.targetId, url: sql<string>`${auditEvents.details}->'secretScanning'->>'url'` })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.organizationId, organizationId),
        eq(auditEvents.action, "token.deactivated"),
        eq(auditEvents.targetType, "token"),
        inArray(auditEvents.targetId, ids),
        sql`${auditEvents.details} ? 'secretScanning'`,
        sql`exists (select 1 from ${auditEvents} a where a.organization_id = ${organizationId} and a.action = 'token.activated'
              and a.target_type = 'token' and a.target_id = ${auditEvents.targetId} and a.occurred_at > ${auditEvents.occurredAt})`,
      ),
    );
  return new Set(rows.map((row) => `${row.id}|${row.url}`));
}
