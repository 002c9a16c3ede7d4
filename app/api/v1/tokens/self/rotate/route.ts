import { rotateResponse } from "@/lib/api/rotation";
import { withToken } from "@/lib/api/with-token";
import { WRITE_TOKENS } from "@/lib/tokens/access";

// POST /api/v1/tokens/self/rotate — the calling token replaces itself, so a job can renew its
// own credential (with a grace, the job keeps working until it has switched); like any rotation
// it needs tokens:write (a read-only token cannot rotate)
export const POST = withToken(({ request, actor, principal }) => rotateResponse(request, actor, principal.tokenId), {
  permission: WRITE_TOKENS,
});

export const dynamic = "force-dynamic";
