import { createdTokenOutput, toTokenOutput } from "@/lib/api/schemas";
import { WRITE_TOKENS } from "@/lib/tokens/access";
import { withToken } from "@/lib/api/with-token";
import { regenerateToken } from "@/lib/tokens/regenerate";

// POST /api/v1/tokens/{id}/rotate — a new value with the same settings; the old one dies at once
export const POST = withToken<{ id: string }>(
  async ({ actor, params }) => {
    const { token, value } = await regenerateToken(actor, params.id);
    return Response.json(createdTokenOutput.parse({ token: toTokenOutput(token), value }), {
      status: 201,
      headers: { "Cache-Control": "no-store" },
    });
  },
  { permission: WRITE_TOKENS },
);

export const dynamic = "force-dynamic";
