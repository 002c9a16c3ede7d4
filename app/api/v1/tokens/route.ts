import { readJson } from "@/lib/api/body";
import { invalidCursor } from "@/lib/api/problem";
import {
  createdTokenOutput,
  createTokenBody,
  queryOf,
  tokenListOutput,
  tokenListQuery,
  restrictionsOf,
  toTokenOutput,
} from "@/lib/api/schemas";
import { READ_TOKENS, WRITE_TOKENS } from "@/lib/tokens/access";
import { withToken } from "@/lib/api/with-token";
import { createToken } from "@/lib/tokens/create";
import { decodeCursor } from "@/lib/tokens/cursor";
import { listTokens } from "@/lib/tokens/queries";

// GET /api/v1/tokens — the tokens the caller may see, filtered, sorted, cursor-paginated
export const GET = withToken(
  async ({ request, actor }) => {
    const query = queryOf(request, tokenListQuery);
    // The console starts a tampered cursor's list again from the top; the API says so.
    if (query.cursor && !decodeCursor(query.cursor, query.sort ?? "created_desc")) throw invalidCursor();
    const page = await listTokens(actor, {
      userId: query.user_id,
      applicationId: query.application_id,
      state: query.state,
      search: query.search,
      sort: query.sort,
      cursor: query.cursor,
      limit: query.limit,
    });
    return Response.json(
      tokenListOutput.parse({
        data: page.tokens.map(toTokenOutput),
        total: page.total,
        total_capped: page.totalCapped,
        next_cursor: page.nextCursor,
      }),
    );
  },
  { permission: READ_TOKENS },
);

// POST /api/v1/tokens — create a token (for another rep with tokens:admin)
export const POST = withToken(
  async ({ request, actor }) => {
    const body = await readJson(request, createTokenBody);
    const { token, value } = await createToken(actor, {
      userId: body.user_id,
      applicationId: body.application_id,
      description: body.description,
      permissions: body.permissions,
      accountSid: body.account_sid,
      expiresAt: body.expires_at,
      ...restrictionsOf(body),
    });
    return Response.json(createdTokenOutput.parse({ token: toTokenOutput(token), value }), {
      status: 201,
      headers: { "Cache-Control": "no-store", Location: `/api/v1/tokens/${token.id}` },
    });
  },
  { permission: WRITE_TOKENS },
);

export const dynamic = "force-dynamic";
