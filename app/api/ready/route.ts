import { databaseUnavailable, problemResponse } from "@/lib/api/problem";
import { isDatabaseReady } from "@/lib/server/readiness";

// GET /api/ready — readiness: 503 problem+json while the database is unreachable
export async function GET(): Promise<Response> {
  if (await isDatabaseReady()) {
    return Response.json({ status: "ready" }, { headers: { "Cache-Control": "no-store" } });
  }
  return problemResponse(databaseUnavailable());
}

export const dynamic = "force-dynamic";
