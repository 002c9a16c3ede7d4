import { and, eq, isNull, sql } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { recordCountedAuditEvent, type AuditEventInput } from "@/lib/audit/record";

/**
 * Audits a sign-in refused unchecked (`rate_limited`, `busy`): one `sign_in.failed` event per
 * e-mail, client address, reason and organization per minute, with a count, so one address cannot grow the
 * audit log without bound.
 */
export async function auditUncheckedRefusal(event: AuditEventInput & { details: { email: string; reason: string } }, now = new Date()) {
  const { email, reason } = event.details;
  const ip = event.context?.ip ?? null;
  await recordCountedAuditEvent(
    { ...event, details: { email, reason }, occurredAt: now },
    and(
      event.organizationId === null ? isNull(auditEvents.organizationId) : eq(auditEvents.organizationId, event.organizationId),
      ip === null ? isNull(auditEvents.ip) : eq(auditEvents.ip, ip),
      sql`${auditEvents.details}->>'email' = ${email}`,
      sql`${auditEvents.details}->>'reason' = ${reason}`,
    ),
    `${email}|${ip ?? ""}|${reason}|${event.organizationId ?? ""}`,
  );
}
