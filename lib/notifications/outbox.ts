import { and, desc, eq, gte, isNotNull, isNull, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { notifications, type Notification } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/shared/keyset-cursor";
import { pageQuery } from "@/lib/shared/keyset-cursor";

export type NewNotification = typeof notifications.$inferInsert;

/** Deliveries give up after this many attempts; the outbox keeps the mail and its last error. */
export const MAX_DELIVERY_ATTEMPTS = 8;

/**
 * Adds mails to the outbox. Call it with the transaction that makes the change the mail is
 * about, so both commit or neither does. A row whose dedupeKey already exists is skipped, which
 * makes "exactly once" a database constraint even when several workers enqueue at once.
 * Returns how many rows were added.
 */
export async function enqueueNotifications(executor: Executor, rows: NewNotification[]): Promise<number> {
  return (await enqueueNotificationsReturningKeys(executor, rows)).length;
}

/** As enqueueNotifications; returns the dedupe keys of the rows added (null for a row without one). */
export async function enqueueNotificationsReturningKeys(executor: Executor, rows: NewNotification[]): Promise<(string | null)[]> {
  if (rows.length === 0) return [];
  // A fixed order keeps concurrent inserts of the same keys from deadlocking on one another.
  const ordered = [...rows].sort((a, b) => (a.dedupeKey ?? "").localeCompare(b.dedupeKey ?? ""));
  const added: (string | null)[] = [];
  // Chunks keep each statement well under PostgreSQL's 65,535 bind parameters.
  for (let start = 0; start < ordered.length; start += INSERT_CHUNK) {
    const inserted = await executor
      .insert(notifications)
      .values(ordered.slice(start, start + INSERT_CHUNK))
      .onConflictDoNothing({ target: notifications.dedupeKey })
      .returning({ key: notifications.dedupeKey });
    added.push(...inserted.map((row) => row.key));
  }
  return added;
}

const INSERT_CHUNK = 500;

export const OUTBOX_STATUSES = ["pending", "sent", "failed"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export const outboxQuerySchema = z.object({
  status: z.enum(OUTBOX_STATUSES).optional().catch(undefined),
  ...pageQuery,
});
export type OutboxQuery = z.input<typeof outboxQuerySchema>;

export type OutboxEntry = Pick<Notification, "id" | "recipient" | "kind" | "subject" | "body" | "attempts" | "lastError"> & {
  status: OutboxStatus;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string;
};

function statusCondition(status: OutboxStatus): SQL | undefined {
  if (status === "sent") return isNotNull(notifications.sentAt);
  if (status === "failed") return and(isNull(notifications.sentAt), gte(notifications.attempts, MAX_DELIVERY_ATTEMPTS));
  return and(isNull(notifications.sentAt), lt(notifications.attempts, MAX_DELIVERY_ATTEMPTS));
}

/** The organization's mails, newest first, for admins to read (the only copy without SMTP). */
export async function listOutbox(actor: Actor, query: OutboxQuery = {}) {
  assertAdmin(actor);
  const { status, cursor, limit } = outboxQuerySchema.parse(query);
  const after = decodeTimeCursor(cursor);
  const db = await getDb();
  const rows = await db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.organizationId, actor.organizationId),
        status ? statusCondition(status) : undefined,
        after
          ? sql`(${notifications.createdAt}, ${notifications.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(limit + 1);
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return {
    entries: visible.map(toOutboxEntry),
    nextCursor: rows.length > limit && last ? encodeTimeCursor(last.createdAt, last.id) : null,
  };
}

function toOutboxEntry(row: Notification): OutboxEntry {
  const status: OutboxStatus = row.sentAt ? "sent" : row.attempts >= MAX_DELIVERY_ATTEMPTS ? "failed" : "pending";
  return {
    id: row.id,
    recipient: row.recipient,
    kind: row.kind,
    subject: row.subject,
    body: row.body,
    attempts: row.attempts,
    lastError: row.lastError,
    status,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
  };
}

/** Whether mail leaves the outbox at all (SMTP_URL set); without it, admins read it here. */
export function isMailDeliveryConfigured(): boolean {
  return getEnv().smtpUrl !== undefined;
}
