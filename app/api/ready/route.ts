import { isDatabaseReady } from "@/lib/server/readiness";

// GET /api/ready — readiness: 503 problem+json while the database is unreachable
export async function GET(): Promise<Response> {
  if (await isDatabaseReady()) {
    return Response.json({ status: "ready" }, { headers: { "Cache-Control": "no-store" } });
  }
  return Response.json(
    {
      type: "about:blank",
      title: "Service Unavailable",
      status: 503,
      detail: "The database is unreachable.",
      code: "database_unavailable",
    },
    { status: 503, headers: { "Content-Type": "application/problem+json", "Retry-After": "5" } },
  );
}

export const dynamic = "force-dynamic";
