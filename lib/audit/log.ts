import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb } from "@/db";
import { auditEvents, users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { changeLineText, csvRow, describeChanges, type ChangeLine } from "./format";
import { decodeTimeCursor, encodeTimeCursor } from "@/lib/shared/keyset-cursor";
import { addDays } from "@/lib/shared/time";
import { auditQuerySchema, type AuditQuery } from "@/lib/validation/audit";

export type AuditEntry = {
  id: string;
  occurredAt: string;
  action: string;
  actorUserId: string | null;
  actorUsername: string | null;
  actorTokenId: string | null;
  targetType: string | null;
  targetId: string | null;
  targetUserId: string | null;
  targetUsername: string | null;
  ip: string | null;
  userAgent: string | null;
  changes: ChangeLine[];
};
export type AuditPage = { entries: AuditEntry[]; nextCursor: string | null };

const actorUsers = alias(users, "actor_user");
const targetUsers = alias(users, "target_user");

function filtersFor(actor: Actor, query: ReturnType<typeof auditQuerySchema.parse>): SQL {
  const { action, actorId, targetUserId, from, to } = query;
  return and(
    eq(auditEvents.organizationId, actor.organizationId),
    action ? eq(auditEvents.action, action) : undefined,
    actorId ? eq(auditEvents.actorUserId, actorId) : undefined,
    targetUserId ? eq(auditEvents.targetUserId, targetUserId) : undefined,
    from ? gte(auditEvents.occurredAt, new Date(`${from}T00:00:00Z`)) : undefined,
    // "to" is inclusive: everything before the next UTC day.
    to ? lt(auditEvents.occurredAt, addDays(new Date(`${to}T00:00:00Z`), 1)) : undefined,
  ) as SQL;
}

/** A page of the organization's audit log, newest first, filtered, paginated by keyset. */
export async function listAuditEvents(actor: Actor, input: AuditQuery = {}): Promise<AuditPage> {
  assertAdmin(actor);
  const query = auditQuerySchema.parse(input);
  const after = decodeTimeCursor(query.cursor);
  const db = await getDb();
  const rows = await db
    .select({
      event: auditEvents,
      actorUsername: actorUsers.username,
      targetUsername: targetUsers.username,
    })
    .from(auditEvents)
    // Joined on the organization as well, so another tenant's user can never be named here.
    .leftJoin(actorUsers, and(eq(actorUsers.id, auditEvents.actorUserId), eq(actorUsers.organizationId, actor.organizationId)))
    .leftJoin(targetUsers, and(eq(targetUsers.id, auditEvents.targetUserId), eq(targetUsers.organizationId, actor.organizationId)))
    .where(
      and(
        filtersFor(actor, query),
        after
          ? sql`(${auditEvents.occurredAt}, ${auditEvents.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(query.limit + 1);
  const visible = rows.slice(0, query.limit);
  const last = visible[visible.length - 1];
  return {
    entries: visible.map(({ event, actorUsername, targetUsername }) => ({
      id: event.id,
      occurredAt: event.occurredAt.toISOString(),
      action: event.action,
      actorUserId: event.actorUserId,
      actorUsername,
      actorTokenId: event.actorTokenId,
      targetType: event.targetType,
      targetId: event.targetId,
      targetUserId: event.targetUserId,
      targetUsername,
      ip: event.ip,
      userAgent: event.userAgent,
      changes: describeChanges(event.details),
    })),
    nextCursor: rows.length > query.limit && last ? encodeTimeCursor(last.event.occurredAt, last.event.id) : null,
  };
}

const CSV_HEADER = [
  "occurred_at",
  "action",
  "actor",
  "actor_user_id",
  "actor_token_id",
  "target_type",
  "target_id",
  "target_rep",
  "ip",
  "user_agent",
  "changes",
];

/**
 * The filtered audit log as CSV, newest first, produced page by page (keyset), so an export of
 * a long log streams in constant memory. Authorization is checked before the first byte.
 */
export function auditCsv(actor: Actor, input: AuditQuery = {}): ReadableStream<Uint8Array> {
  assertAdmin(actor);
  const encoder = new TextEncoder();
  let cursor: string | undefined;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvRow(CSV_HEADER)));
      }
      const page = await listAuditEvents(actor, { ...input, cursor, limit: 200 });
      const text = page.entries
        .map((entry) =>
          csvRow([
            entry.occurredAt,
            entry.action,
            entry.actorUsername,
            entry.actorUserId,
            entry.actorTokenId,
            entry.targetType,
            entry.targetId,
            entry.targetUsername,
            entry.ip,
            entry.userAgent,
            entry.changes.map(changeLineText).join("; "),
          ]),
        )
        .join("");
      if (text) controller.enqueue(encoder.encode(text));
      if (!page.nextCursor) controller.close();
      else cursor = page.nextCursor;
    },
  });
}
