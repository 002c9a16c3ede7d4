import { and, asc, eq, inArray, isNull, lt, lte, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { notifications, type Notification } from "@/db/schema";
import { createResetLink } from "@/lib/people/password-reset";
import { RESET_LINK_LINE } from "./messages";
import { MAX_DELIVERY_ATTEMPTS } from "./outbox";
import type { MailSender } from "./smtp";

// While a worker sends a claimed mail, the row is hidden from other workers this long. A worker
// that dies mid-send leaves the mail to be retried after the lease (at-least-once, as SMTP allows).
const LEASE_MS = 5 * 60_000;
const BATCH_SIZE = 50;
const MAX_BATCHES_PER_PASS = 20;

/** Exponential backoff after the n-th failed attempt: 1 min, 2, 4, … capped at 6 hours. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 6 * 60 * 60_000);
}

export type DeliveryResult = { sent: number; failed: number };

/**
 * Sends due mails from the outbox. Rows are claimed with FOR UPDATE SKIP LOCKED and leased in a
 * short transaction, then sent outside it, so concurrent workers (on several instances) never
 * claim the same mail and no transaction stays open during SMTP. The worker serves every
 * organization's outbox, so these queries are deliberately not scoped to one unless `only` asks.
 */
export async function deliverPendingNotifications(
  send: MailSender,
  now = new Date(),
  only: { organizationId?: string } = {},
): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, failed: 0 };
  for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch += 1) {
    const claimed = await claimDue(now, only.organizationId);
    for (const mail of claimed) {
      if (await deliverOne(send, mail, now)) result.sent += 1;
      else result.failed += 1;
    }
    if (claimed.length < BATCH_SIZE) break;
  }
  return result;
}

async function claimDue(now: Date, organizationId: string | undefined) {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          isNull(notifications.sentAt),
          lte(notifications.nextAttemptAt, now),
          lt(notifications.attempts, MAX_DELIVERY_ATTEMPTS),
          organizationId ? eq(notifications.organizationId, organizationId) : undefined,
        ),
      )
      .orderBy(asc(notifications.nextAttemptAt))
      .limit(BATCH_SIZE)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(notifications)
      .set({ attempts: sql`${notifications.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
      .where(
        inArray(
          notifications.id,
          due.map((row) => row.id),
        ),
      )
      .returning();
  });
}

async function deliverOne(send: MailSender, mail: Notification, now: Date): Promise<boolean> {
  const db = await getDb();
  try {
    await send({ to: mail.recipient, subject: mail.subject, text: await finalBody(mail, now) });
  } catch (error) {
    await db
      .update(notifications)
      .set({ lastError: describe(error), nextAttemptAt: new Date(now.getTime() + retryDelayMs(mail.attempts)) })
      .where(and(eq(notifications.id, mail.id), isNull(notifications.sentAt)));
    return false;
  }
  await db.update(notifications).set({ sentAt: now, lastError: null }).where(eq(notifications.id, mail.id));
  return true;
}

/**
 * The body as sent. A password-reset mail gets its one-time link here, as it leaves: the
 * outbox (which admins read) keeps the placeholder, so no stored row holds a working link.
 */
async function finalBody(mail: Notification, now: Date): Promise<string> {
  if (mail.kind !== "person.password_reset") return mail.body;
  const link = mail.recipientUserId ? await createResetLink(await getDb(), mail.recipientUserId, now) : null;
  if (!link) throw new Error("the recipient of this password reset no longer exists");
  // Only the line that is exactly the placeholder: text an admin typed may contain the words, never a line of its own.
  const lines = mail.body.split("\n");
  const at = lines.lastIndexOf(RESET_LINK_LINE);
  if (at === -1) throw new Error("this password reset mail has no link line");
  lines[at] = `  ${link}`;
  return lines.join("\n");
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 1000);
}
