import { createdTokenOutput, toTokenOutput } from "@/lib/api/schemas";
import { withToken } from "@/lib/api/with-token";
import { regenerateToken } from "@/lib/tokens/regenerate";

// POST /api/v1/tokens/self/rotate — the calling token replaces itself (no extra permission:
// rotating grants nothing new), so a job can renew its own credential
export const POST = withToken(async ({ actor, principal }) => {
  const { token, value } = await regenerateToken({ ...actor, reach: "own" }, principal.tokenId);
  return Response.json(createdTokenOutput.parse({ token: toTokenOutput(token), value }), {
    status: 201,
    headers: { "Cache-Control": "no-store" },
  });
});
