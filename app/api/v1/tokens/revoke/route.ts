import { readJson } from "@/lib/api/body";
import { bulkRevokeBody, bulkRevokeOutput } from "@/lib/api/schemas";
import { WRITE_TOKENS } from "@/lib/tokens/access";
import { withToken } from "@/lib/api/with-token";
import { revokeTokens } from "@/lib/tokens/revoke";
import { listLiveTokenIds } from "@/lib/tokens/queries";

// POST /api/v1/tokens/revoke — revoke many tokens, by ids or every live token of one user
export const POST = withToken(
  async ({ request, actor }) => {
    const body = await readJson(request, bulkRevokeBody);
    const ids = body.ids ?? (body.user_id ? await listLiveTokenIds(actor, body.user_id) : []);
    if (ids.length === 0) return Response.json(bulkRevokeOutput.parse({ revoked: [], skipped: 0 }));
    const result = await revokeTokens(actor, ids, body.reason);
    return Response.json(bulkRevokeOutput.parse(result));
  },
  { permission: WRITE_TOKENS },
);

export const dynamic = "force-dynamic";
