// GET /api/health — liveness: constant, no database work (load balancers, benchmarks)
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}

export const dynamic = "force-dynamic";
