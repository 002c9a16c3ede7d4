import { and, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { recordAuditEvent, type AuditEventInput } from "./audit";

const MINUTE_MS = 60_000;
// First key of the two-key advisory locks taken here, so they cannot meet anyone else's.
const AUDIT_LOCK_SPACE = 0x5191_0a1d;

/**
 * Audits a sign-in refused unchecked (`rate_limited`, `busy`): one `sign_in.failed` event per
 * e-mail, client address and reason per minute, whose `details.count` each later refusal in that
 * minute increments, so one address cannot grow the audit log without bound (as
 * lib/api/auth-failures.ts does for auth.failed). A transaction-scoped advisory lock makes
 * "increment this minute's event, or else insert it" atomic across instances.
 */
export async function auditUncheckedRefusal(event: AuditEventInput & { details: { email: string; reason: string } }, now = new Date()) {
  const { email, reason } = event.details;
  const ip = event.context?.ip ?? null;
  const minute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK_SPACE}, hashtext(${`${email}|${ip ?? ""}|${reason}`}))`);
    const counted = await tx
      .update(auditEvents)
      .set({ details: sql`${auditEvents.details} || jsonb_build_object('count', coalesce((${auditEvents.details}->>'count')::int, 1) + 1)` })
      .where(
        and(
          eq(auditEvents.action, "sign_in.failed"),
          ip === null ? isNull(auditEvents.ip) : eq(auditEvents.ip, ip),
          sql`${auditEvents.details}->>'email' = ${email}`,
          sql`${auditEvents.details}->>'reason' = ${reason}`,
          gte(auditEvents.occurredAt, new Date(minute)),
          lt(auditEvents.occurredAt, new Date(minute + MINUTE_MS)),
        ),
      )
      .returning({ id: auditEvents.id });
    if (counted.length === 0) await recordAuditEvent(tx, { ...event, details: { email, reason, count: 1 }, occurredAt: now });
  });
}
