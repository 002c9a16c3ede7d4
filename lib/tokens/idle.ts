import { and, eq, gt, isNotNull, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { organizations, persons, personalAccessTokens as tokens, tokenClientAddresses, tokenUsageHourly, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import { getEnv } from "@/lib/env";
import { organizationConsoleUrl } from "@/lib/notifications/console-url";
import { idleNoticeMessage } from "@/lib/notifications/messages";
import { enqueueNotifications, type NewNotification } from "@/lib/notifications/outbox";
import { addDays, DAY_MS } from "@/lib/shared/time";

/** Owners hear this many days before an unused token is revoked (SPEC §11). */
export const IDLE_NOTICE_DAYS = 7;

type Only = { organizationId?: string };

/** The token's last sign of life: its last use, or its creation. */
const lastActivity = sql`coalesce(${tokens.lastUsedAt}, ${tokens.createdAt})`;

/** Live, unexpired tokens of the organization, unused since `before`. */
const idleSince = (organizationId: string, before: Date, now: Date): SQL =>
  and(
    eq(tokens.organizationId, organizationId),
    isNull(tokens.revokedAt),
    or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)),
    // A raw SQL side: the bound must be text (postgres.js is handed no Date objects by drizzle here).
    sql`${lastActivity} <= ${before.toISOString()}::timestamptz`,
  ) as SQL;

/** A notice was sent during the current idle stretch (a use since resets it). */
const noticedThisStretch = and(isNotNull(tokens.idleNoticeAt), sql`${tokens.idleNoticeAt} >= ${lastActivity}`) as SQL;

/**
 * How many of the organization's tokens a policy of `days` would concern now: unused that long
 * (they would be told, and revoked a week later). The settings page shows it as a dry run.
 */
export async function countIdleTokens(organizationId: string, days: number, now = new Date()): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(tokens)
    .where(idleSince(organizationId, addDays(now, -days), now));
  return row?.n ?? 0;
}

/**
 * The idle-token policy's pass (SPEC §11), for each organization that has one: a notice to the
 * owner of each token unused for `days − 7` days, then — at least a week after that notice, and
 * only if it is still unused — the revocation, with reason "Unused for N days", audited. Safe on
 * several instances: each step is one conditional UPDATE … RETURNING.
 */
export async function enforceIdleTokenPolicy(now = new Date(), only: Only = {}): Promise<{ noticed: number; revoked: number }> {
  const db = await getDb();
  const scanned = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, days: organizations.revokeUnusedAfterDays })
    .from(organizations)
    .where(
      and(
        eq(organizations.active, true),
        isNotNull(organizations.revokeUnusedAfterDays),
        only.organizationId ? eq(organizations.id, only.organizationId) : undefined,
      ),
    );
  let noticed = 0;
  let revoked = 0;
  for (const organization of scanned) {
    const days = organization.days ?? 0;
    noticed += await db.transaction((tx) => noticeIdleTokens(tx, organization, days, now));
    revoked += await db.transaction((tx) => revokeIdleTokens(tx, organization.id, days, now));
  }
  return { noticed, revoked };
}

async function noticeIdleTokens(tx: Executor, organization: { id: string; slug: string; name: string }, days: number, now: Date) {
  const noticed = await tx
    .update(tokens)
    .set({ idleNoticeAt: now })
    .where(and(idleSince(organization.id, addDays(now, -(days - IDLE_NOTICE_DAYS)), now), sql`not (${noticedThisStretch})`))
    .returning();
  if (noticed.length === 0) return 0;
  const owners = await tx
    .select({ id: users.id, email: persons.email, displayName: users.displayName, active: users.active })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(users.organizationId, organization.id));
  const byId = new Map(owners.map((owner) => [owner.id, owner]));
  const rows: NewNotification[] = [];
  for (const token of noticed) {
    const owner = byId.get(token.userId);
    if (!owner?.active) continue;
    const revokeOn = new Date(
      Math.max(now.getTime() + IDLE_NOTICE_DAYS * DAY_MS, (token.lastUsedAt ?? token.createdAt).getTime() + days * DAY_MS),
    );
    rows.push({
      organizationId: organization.id,
      recipientUserId: owner.id,
      recipient: owner.email,
      kind: "token.idle",
      dedupeKey: `idle:${token.id}:${now.getTime()}`,
      ...idleNoticeMessage({
        owner,
        token,
        days,
        revokeOn,
        organizationName: organization.name,
        tokenUrl: `${organizationConsoleUrl(organization.slug)}/tokens/${token.id}`,
      }),
    });
  }
  await enqueueNotifications(tx, rows);
  return noticed.length;
}

async function revokeIdleTokens(tx: Executor, organizationId: string, days: number, now: Date) {
  const reason = `Unused for ${days} days`;
  const revoked = await tx
    .update(tokens)
    .set({ revokedAt: now, revokeReason: reason, updatedAt: now })
    .where(
      and(
        idleSince(organizationId, addDays(now, -days), now),
        noticedThisStretch,
        lte(tokens.idleNoticeAt, addDays(now, -IDLE_NOTICE_DAYS)),
      ),
    )
    .returning();
  for (const token of revoked) {
    await recordAuditEvent(tx, {
      organizationId,
      action: "token.revoked",
      targetType: "token",
      targetId: token.id,
      targetUserId: token.userId,
      details: { reason, automatic: true, lastUsedAt: token.lastUsedAt?.toISOString() ?? null },
      occurredAt: now,
    });
  }
  return revoked.length;
}

/** Deletes usage rows older than USAGE_RETENTION_DAYS (SPEC §11). */
export async function pruneTokenUsage(now = new Date(), only: Only = {}): Promise<void> {
  const db = await getDb();
  const cutoff = addDays(now, -getEnv().usageRetentionDays);
  await db
    .delete(tokenUsageHourly)
    .where(
      and(lt(tokenUsageHourly.hour, cutoff), only.organizationId ? eq(tokenUsageHourly.organizationId, only.organizationId) : undefined),
    );
  await db
    .delete(tokenClientAddresses)
    .where(
      and(
        lt(tokenClientAddresses.lastSeenAt, cutoff),
        only.organizationId ? eq(tokenClientAddresses.organizationId, only.organizationId) : undefined,
      ),
    );
}
