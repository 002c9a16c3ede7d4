import { parseJson, payloadTooLarge } from "@/lib/api/body";
import { ApiError, notFoundProblem } from "@/lib/api/problem";
import { readLimitedBytes } from "@/lib/api/read-limited";
import { reportLimit } from "@/lib/api/report-limit";
import { githubFindingsBody, MAX_SECRET_SCANNING_BODY_BYTES } from "@/lib/api/secret-scanning-schemas";
import { getEnv } from "@/lib/env";
import type { RequestContext } from "@/lib/http/request-context";
import type { SecretScanningFinding } from "@/lib/tokens/exposed";
import { isSignedByGithub } from "./github-signature";

const invalidSignature = () =>
  new ApiError(
    401,
    "invalid_signature",
    "Unauthorized",
    "The report is not signed by a GitHub secret-scanning key this server knows (Github-Public-Key-Identifier, Github-Public-Key-Signature over the exact body).",
    { headers: { "WWW-Authenticate": 'Github-Public-Key-Signature realm="tessera"' } },
  );

/**
 * The findings of a report from GitHub's secret scanning, read once (at most 1 MB) and trusted
 * only once GitHub's signature over those exact bytes checks out against the configured keys —
 * before anything is parsed or looked up. Refusals (unsigned, unknown key, bad signature, too
 * large) look alike and count against the address's report limit (shared with
 * POST /api/v1/credentials/revoke); a signed report is never limited. Without configured keys
 * the endpoint does not exist: 404.
 */
export async function readGithubReport(request: Request, context: RequestContext): Promise<SecretScanningFinding[]> {
  const keys = getEnv().githubSecretScanningKeys;
  if (keys.size === 0) throw notFoundProblem("GitHub secret scanning is not configured on this server.");
  let body: Buffer;
  try {
    body = await readLimitedBytes(request, MAX_SECRET_SCANNING_BODY_BYTES, () => payloadTooLarge(MAX_SECRET_SCANNING_BODY_BYTES));
    if (!isSignedByGithub(body, request.headers, keys)) throw invalidSignature();
  } catch (refusal) {
    await reportLimit(context.ip);
    throw refusal;
  }
  return parseJson(body.toString("utf8"), githubFindingsBody);
}
