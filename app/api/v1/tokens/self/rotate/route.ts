import { createdTokenOutput, toTokenOutput } from "@/lib/api/schemas";
import { withToken } from "@/lib/api/with-token";
import { WRITE_TOKENS } from "@/lib/tokens/access";
import { regenerateToken } from "@/lib/tokens/regenerate";

// POST /api/v1/tokens/self/rotate — the calling token replaces itself, so a job can renew its
// own credential; like any rotation it needs tokens:write (a read-only token cannot rotate)
export const POST = withToken(
  async ({ actor, principal }) => {
    const { token, value } = await regenerateToken(actor, principal.tokenId);
    return Response.json(createdTokenOutput.parse({ token: toTokenOutput(token), value }), {
      status: 201,
      headers: { "Cache-Control": "no-store" },
    });
  },
  { permission: WRITE_TOKENS },
);

export const dynamic = "force-dynamic";
