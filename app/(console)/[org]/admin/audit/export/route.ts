import { headers } from "next/headers";
import { consoleActor } from "@/lib/auth/actor";
import { auditCsv } from "@/lib/audit/log";
import { requestContextFrom } from "@/lib/http/request-context";
import { getCurrentPerson, getCurrentUser } from "@/lib/auth/session";
import { auditQueryFromParams } from "@/lib/validation/audit";

// A route handler is not covered by the admin layout, so it checks the session and role itself,
// answering a rep exactly like a missing page.
export const dynamic = "force-dynamic";

// GET /<org>/admin/audit/export — the filtered audit log as CSV
export async function GET(request: Request, { params }: { params: Promise<{ org: string }> }): Promise<Response> {
  const user = await getCurrentUser((await params).org);
  if (!user && !(await getCurrentPerson())) return new Response("Sign in to export the audit log.", { status: 401 });
  // Not a member there, or a rep: exactly like a missing page.
  if (!user || user.role !== "admin") return new Response("Not found.", { status: 404 });
  const actor = consoleActor(user, requestContextFrom(await headers()));
  const search = new URL(request.url).searchParams;
  const query = auditQueryFromParams((name) => search.get(name));
  const day = new Date().toISOString().slice(0, 10);
  return new Response(auditCsv(actor, { ...query, cursor: undefined }), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-log-${day}.csv"`,
      "Cache-Control": "no-store",
    },
  });
}
