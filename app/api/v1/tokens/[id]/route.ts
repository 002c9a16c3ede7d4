import { readJson } from "@/lib/api/body";
import { restrictionsOf, revokeTokenBody, tokenOutput, toTokenOutput, updateTokenBody } from "@/lib/api/schemas";
import { READ_TOKENS, WRITE_TOKENS } from "@/lib/tokens/access";
import { withToken } from "@/lib/api/with-token";
import { getToken } from "@/lib/tokens/queries";
import { revokeToken } from "@/lib/tokens/revoke";
import { updateToken } from "@/lib/tokens/update";

type Params = { id: string };

// GET /api/v1/tokens/{id} — one token (another organization's or rep's: 404)
export const GET = withToken<Params>(
  async ({ actor, params }) => Response.json(tokenOutput.parse(toTokenOutput(await getToken(actor, params.id)))),
  { permission: READ_TOKENS },
);

// PATCH /api/v1/tokens/{id} — edit description, permissions, expiration; switch active
export const PATCH = withToken<Params>(
  async ({ request, actor, params }) => {
    const body = await readJson(request, updateTokenBody);
    // One transaction for every field and the switch: all of them apply, or none.
    const token = await updateToken(actor, params.id, {
      description: body.description,
      permissions: body.permissions,
      expiresAt: body.expires_at,
      ...restrictionsOf(body),
      active: body.active,
    });
    return Response.json(tokenOutput.parse(toTokenOutput(token)));
  },
  { permission: WRITE_TOKENS },
);

// DELETE /api/v1/tokens/{id} — revoke a token (permanent); the record stays for the audit trail
export const DELETE = withToken<Params>(
  async ({ request, actor, params }) => {
    const body = await readJson(request, revokeTokenBody);
    await revokeToken(actor, params.id, body.reason);
    return Response.json(tokenOutput.parse(toTokenOutput(await getToken(actor, params.id))));
  },
  { permission: WRITE_TOKENS },
);

export const dynamic = "force-dynamic";
