import { and, eq, gt, inArray, isNotNull, isNull, lte, ne, notExists, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Database } from "@/db";
import { notifications, organizations, persons, personalAccessTokens as tokens, users } from "@/db/schema";
import { organizationConsoleUrl } from "./console-url";
import { addDays, DAY_MS } from "@/lib/shared/time";
import { expiryMessage } from "./messages";
import { enqueueNotificationsReturningKeys, type NewNotification } from "./outbox";
import { enqueueTokenEvent } from "@/lib/webhooks/enqueue";

type OrganizationToScan = { id: string; slug: string; name: string; expiryNoticeDays: number[] };

// Dedupe keys make each notice exactly-once per token, threshold and recipient: the owner's key
// is the bare one, an admin's copy adds the admin's id.
export const expiringKey = (tokenId: string, days: number, adminId?: string) =>
  `expiring:${tokenId}:${days}${adminId ? `:${adminId}` : ""}`;
export const expiredKey = (tokenId: string, adminId?: string) => `expired:${tokenId}${adminId ? `:${adminId}` : ""}`;

/**
 * The tightest notice threshold a token has reached, or null: with notices at 7 and 1 days, a
 * token 3 days from expiry is due its 7-day notice, one 12 hours away only its 1-day notice
 * (never both at once).
 */
export function dueThreshold(expiresAt: Date, now: Date, noticeDays: readonly number[]): number | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return null;
  const reached = noticeDays.filter((days) => left <= days * DAY_MS);
  return reached.length === 0 ? null : Math.min(...reached);
}

/**
 * Queues "expires in N days" and "has expired" mails for every active organization. Safe to run
 * from several instances at once: each mail's dedupe key is unique, and inserts of a key that
 * exists are skipped. Returns how many mails were queued. `only` limits the pass to one
 * organization (support, and tests that share a database).
 */
export async function enqueueExpiryNotices(now = new Date(), only: { organizationId?: string } = {}): Promise<number> {
  const db = await getDb();
  const scanned = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, expiryNoticeDays: organizations.expiryNoticeDays })
    .from(organizations)
    .where(and(eq(organizations.active, true), only.organizationId ? eq(organizations.id, only.organizationId) : undefined));
  let queued = 0;
  for (const organization of scanned) queued += await enqueueForOrganization(db, organization, now);
  return queued;
}

const creators = alias(users, "creator");
const ownerPersons = alias(persons, "owner_person");
const creatorPersons = alias(persons, "creator_person");

/** No mail with this dedupe key has been queued. */
const notQueued = (db: Database, key: SQL) =>
  notExists(
    db
      .select({ one: sql`1` })
      .from(notifications)
      .where(eq(notifications.dedupeKey, key)),
  );

/**
 * The owner's notice (the bare key) or, where the creator gets a copy (see the mails below), the
 * creator's (the key with their id) is still to be queued.
 */
const someoneNotYetTold = (db: Database, key: SQL) =>
  or(
    notQueued(db, key),
    and(
      eq(creators.role, "admin"),
      eq(creators.active, true),
      ne(creators.id, users.id),
      notQueued(db, sql`${key} || ':' || ${creators.id}::text`),
    ),
  );

/** dueThreshold as SQL over the token row: the least notice day whose window the expiry has entered. */
function dueThresholdSql(noticeDays: readonly number[], now: Date): SQL {
  const days = sql.join(
    noticeDays.map((days) => sql`${days}::int`),
    sql`, `,
  );
  return sql`select min(d) from unnest(array[${days}]::int[]) as d where ${tokens.expiresAt} <= ${now.toISOString()}::timestamptz + make_interval(secs => d * ${DAY_MS / 1000})`;
}

async function enqueueForOrganization(db: Database, organization: OrganizationToScan, now: Date): Promise<number> {
  const horizonDays = Math.max(0, ...organization.expiryNoticeDays);
  const rows = await db
    .select({
      token: {
        id: tokens.id,
        description: tokens.description,
        accountSid: tokens.accountSid,
        permissions: tokens.permissions,
        expiresAt: tokens.expiresAt,
      },
      owner: { id: users.id, email: ownerPersons.email, displayName: users.displayName, username: users.username },
      creator: {
        id: creators.id,
        email: creatorPersons.email,
        displayName: creators.displayName,
        role: creators.role,
        active: creators.active,
      },
    })
    .from(tokens)
    .innerJoin(users, eq(users.id, tokens.userId))
    .innerJoin(ownerPersons, eq(ownerPersons.id, users.personId))
    .leftJoin(creators, eq(creators.id, tokens.createdById))
    .leftJoin(creatorPersons, eq(creatorPersons.id, creators.personId))
    .where(
      and(
        eq(tokens.organizationId, organization.id),
        // Notices are about tokens in use: revoked or switched-off tokens and inactive reps get none.
        isNull(tokens.revokedAt),
        eq(tokens.active, true),
        eq(users.active, true),
        isNotNull(tokens.expiresAt),
        or(
          // A notice already queued, for the owner and the admin copy alike, is not built again:
          // a steady-state pass reads index entries, not mails.
          and(
            gt(tokens.expiresAt, now),
            lte(tokens.expiresAt, addDays(now, horizonDays)),
            someoneNotYetTold(
              db,
              sql`'expiring:' || ${tokens.id}::text || ':' || (${dueThresholdSql(organization.expiryNoticeDays, now)})`,
            ),
          ),
          and(lte(tokens.expiresAt, now), someoneNotYetTold(db, sql`'expired:' || ${tokens.id}::text`)),
        ),
      ),
    );

  const consoleUrl = organizationConsoleUrl(organization.slug);
  const mails: NewNotification[] = [];
  // The owner's notice (the bare key) is queued once per token and threshold: so is its webhook.
  const webhookOf = new Map<string, { tokenId: string; expired: boolean }>();
  for (const { token, owner, creator } of rows) {
    if (!token.expiresAt) continue;
    const expiresAt = token.expiresAt;
    const expired = expiresAt.getTime() <= now.getTime();
    const days = expired ? null : dueThreshold(expiresAt, now, organization.expiryNoticeDays);
    if (!expired && days === null) continue;
    const keyFor = (adminId?: string) => (days === null ? expiredKey(token.id, adminId) : expiringKey(token.id, days, adminId));
    const mail = (recipient: { id: string; email: string; displayName: string }, audience: "owner" | "admin"): NewNotification => ({
      organizationId: organization.id,
      recipientUserId: recipient.id,
      recipient: recipient.email,
      kind: expired ? "token.expired" : "token.expiring",
      dedupeKey: keyFor(audience === "admin" ? recipient.id : undefined),
      ...expiryMessage({
        recipient,
        owner,
        audience,
        token: { ...token, expiresAt },
        now,
        organizationName: organization.name,
        consoleUrl,
      }),
    });
    mails.push(mail(owner, "owner"));
    webhookOf.set(keyFor(), { tokenId: token.id, expired });
    // The admin who created a rep's token hears about it too.
    if (creator?.id && creator.email && creator.displayName && creator.role === "admin" && creator.active && creator.id !== owner.id) {
      mails.push(mail({ id: creator.id, email: creator.email, displayName: creator.displayName }, "admin"));
    }
  }
  const due = await withoutExisting(db, mails);
  if (due.length === 0) return 0;
  // The notices and their webhook deliveries commit together (SPEC §12): a pass that fails
  // half-way leaves neither, and the next pass queues both.
  return db.transaction(async (tx) => {
    const added = await enqueueNotificationsReturningKeys(tx, due);
    for (const expired of [false, true]) {
      const tokenIds = added.flatMap((key) => {
        const told = key === null ? undefined : webhookOf.get(key);
        return told && told.expired === expired ? [told.tokenId] : [];
      });
      await enqueueTokenEvent(tx, {
        organizationId: organization.id,
        event: expired ? "token.expired" : "token.expiring",
        tokenIds,
        occurredAt: now,
        actor: null,
      });
    }
    return added.length;
  });
}

// Skips keys already queued, so a steady state (every notice sent) writes nothing. The insert's
// ON CONFLICT DO NOTHING still settles races with a concurrent pass.
async function withoutExisting(db: Database, mails: NewNotification[]): Promise<NewNotification[]> {
  const keys = mails.flatMap((mail) => (mail.dedupeKey ? [mail.dedupeKey] : []));
  if (keys.length === 0) return mails;
  const taken = new Set<string | null>();
  for (let start = 0; start < keys.length; start += 1000) {
    const existing = await db
      .select({ key: notifications.dedupeKey })
      .from(notifications)
      .where(inArray(notifications.dedupeKey, keys.slice(start, start + 1000)));
    for (const row of existing) taken.add(row.key);
  }
  return mails.filter((mail) => !mail.dedupeKey || !taken.has(mail.dedupeKey));
}
