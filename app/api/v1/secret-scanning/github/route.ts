import { problemResponse, toApiError } from "@/lib/api/problem";
import { toGithubLabels } from "@/lib/api/secret-scanning-schemas";
import { requestContextFrom } from "@/lib/http/request-context";
import { readGithubReport } from "@/lib/secret-scanning/github-report";
import { deactivateExposedTokens } from "@/lib/tokens/exposed";

// POST /api/v1/secret-scanning/github — GitHub's secret scanning reports Tessera tokens it found
// in public (SPEC §12). Authenticated by GitHub's signature, not a token; matches are deactivated
// and the answer is GitHub's false-positive feedback, by SHA-256 of each value.
export async function POST(request: Request): Promise<Response> {
  const context = requestContextFrom(request.headers);
  try {
    const findings = await readGithubReport(request, context);
    const labels = await deactivateExposedTokens(findings, context);
    return Response.json(toGithubLabels(labels), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return problemResponse(toApiError(error));
  }
}

export const dynamic = "force-dynamic";
