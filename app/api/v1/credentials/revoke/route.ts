import { readJson } from "@/lib/api/body";
import { reportLimit } from "@/lib/api/report-limit";
import { problemResponse, toApiError } from "@/lib/api/problem";
import { requestContextFrom } from "@/lib/http/request-context";
import { revokeCredentialsBody } from "@/lib/api/schemas";
import { revokeReportedCredentials } from "@/lib/tokens/leak";

// POST /api/v1/credentials/revoke — anyone who finds leaked values reports them (SPEC §12, like
// GitHub's credential revocation API). No authentication; limited per client address; always 202,
// so the answer never says which values were tokens.
export async function POST(request: Request): Promise<Response> {
  const context = requestContextFrom(request.headers);
  try {
    await reportLimit(context.ip);
    const body = await readJson(request, revokeCredentialsBody, 256 * 1024);
    await revokeReportedCredentials(body.credentials, context);
    return new Response(null, { status: 202, headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return problemResponse(toApiError(error));
  }
}

export const dynamic = "force-dynamic";
