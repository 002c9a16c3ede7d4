import { auditEventListOutput, auditEventListQuery, queryOf, toAuditEventOutput } from "@/lib/api/schemas";
import { invalidCursor } from "@/lib/api/problem";
import { withToken } from "@/lib/api/with-token";
import { listAuditEvents } from "@/lib/audit/log";
import { decodeTimeCursor } from "@/lib/shared/keyset-cursor";

// GET /api/v1/audit-events — the organization's audit log, newest first (audit:read)
export const GET = withToken(
  async ({ request, actor }) => {
    const query = queryOf(request, auditEventListQuery);
    if (query.cursor && !decodeTimeCursor(query.cursor)) throw invalidCursor();
    const page = await listAuditEvents(actor, {
      action: query.action,
      actorId: query.actor_user_id,
      targetUserId: query.target_user_id,
      from: query.from,
      to: query.to,
      cursor: query.cursor,
      limit: query.limit,
    });
    return Response.json(
      auditEventListOutput.parse({
        data: page.entries.map(toAuditEventOutput),
        next_cursor: page.nextCursor,
      }),
    );
  },
  { permission: "audit:read" },
);

export const dynamic = "force-dynamic";
