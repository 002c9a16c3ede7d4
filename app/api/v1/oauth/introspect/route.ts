import { withToken, WITH_TOKEN } from "@/lib/api/with-token";
import { requestContextFrom } from "@/lib/http/request-context";
import { authenticateClientRequest, usesBasicAuth } from "@/lib/oauth/client-auth";
import { OAuthError, oauthErrorResponse, oauthJson } from "@/lib/oauth/errors";
import { readOAuthForm } from "@/lib/oauth/form";
import { introspectToken } from "@/lib/oauth/introspection";

async function tokenParameter(request: Request): Promise<string> {
  const token = (await readOAuthForm(request)).single("token");
  if (token === undefined) throw new OAuthError("invalid_request", "The token parameter is missing.");
  return token;
}

// A Tessera API token holding tokens:introspect: answers for Tessera API tokens.
const introspectWithToken = withToken(
  async ({ request, principal, actor }) => {
    try {
      return oauthJson(await introspectToken({ kind: "token", principal }, await tokenParameter(request), actor.context));
    } catch (error) {
      return oauthErrorResponse(error);
    }
  },
  { permission: "tokens:introspect" },
);

// An application's resource server, by its client credentials: answers for that application's tokens.
async function introspectAsClient(request: Request): Promise<Response> {
  try {
    const context = requestContextFrom(request.headers);
    const client = await authenticateClientRequest(request, context);
    return oauthJson(await introspectToken({ kind: "client", client }, await tokenParameter(request), context));
  } catch (error) {
    return oauthErrorResponse(error);
  }
}

// POST /api/v1/oauth/introspect — RFC 7662: is this PAT or exchanged JWT active, and what may it do
export const POST = Object.assign(
  (request: Request, context: { params: Promise<Record<string, never>> }) =>
    usesBasicAuth(request) ? introspectAsClient(request) : introspectWithToken(request, context),
  { [WITH_TOKEN]: introspectWithToken[WITH_TOKEN] },
);

export const dynamic = "force-dynamic";
