import { rotateResponse } from "@/lib/api/rotation";
import { withToken } from "@/lib/api/with-token";
import { WRITE_TOKENS } from "@/lib/tokens/access";

// POST /api/v1/tokens/{id}/rotate — a new value with the same settings; the old one stops at
// once, or after the grace the body asks for (SPEC §11)
export const POST = withToken<{ id: string }>(({ request, actor, params }) => rotateResponse(request, actor, params.id), {
  permission: WRITE_TOKENS,
});

export const dynamic = "force-dynamic";
