import { oauthErrorResponse, oauthJson } from "@/lib/oauth/errors";
import { readOAuthForm } from "@/lib/oauth/form";
import { exchangeToken } from "@/lib/oauth/token-exchange";
import { requestContextFrom } from "@/lib/http/request-context";

// POST /api/v1/oauth/token — RFC 8693 token exchange: a PAT for a short-lived signed JWT
// (public: the subject_token authenticates the request; errors are RFC 6749 §5.2 JSON)
export async function POST(request: Request): Promise<Response> {
  try {
    const form = await readOAuthForm(request);
    return oauthJson(await exchangeToken(form, requestContextFrom(request.headers)));
  } catch (error) {
    return oauthErrorResponse(error);
  }
}

export const dynamic = "force-dynamic";
