import { withToken } from "@/lib/api/with-token";
import { OAuthError, oauthErrorResponse, oauthJson } from "@/lib/oauth/errors";
import { readOAuthForm } from "@/lib/oauth/form";
import { introspectToken } from "@/lib/oauth/introspection";

// POST /api/v1/oauth/introspect — RFC 7662: is this PAT or exchanged JWT active, and what may it do
export const POST = withToken(
  async ({ request, principal }) => {
    let token: string | undefined;
    try {
      token = (await readOAuthForm(request)).single("token");
      if (token === undefined) throw new OAuthError("invalid_request", "The token parameter is missing.");
    } catch (error) {
      return oauthErrorResponse(error);
    }
    return oauthJson(await introspectToken(principal, token));
  },
  { permission: "tokens:introspect" },
);

export const dynamic = "force-dynamic";
