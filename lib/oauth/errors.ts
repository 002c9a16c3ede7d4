import { toApiError } from "@/lib/api/problem";

/** RFC 6749 §5.2 and RFC 8693 §2.2.2 error codes Tessera answers with. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_scope"
  | "invalid_target"
  // RFC 6749 §4.1.2.1's word for a refusal by the resource owner's rules: here a token's allowlist.
  | "access_denied"
  | "unsupported_grant_type"
  | "server_error"
  | "temporarily_unavailable";

/** An expected OAuth failure, rendered as RFC 6749 §5.2 JSON by oauthErrorResponse. */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    description: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

// RFC 6749 §5.1: token responses, and their errors, must never be cached.
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/** A JSON answer of an OAuth endpoint, never cached. */
export function oauthJson(body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...NO_STORE, ...headers } });
}

/**
 * Renders anything thrown inside an OAuth endpoint: OAuth errors as themselves, everything else
 * through the API's own mapping (which logs unexpected errors by name only, never their text).
 */
export function oauthErrorResponse(error: unknown): Response {
  if (error instanceof OAuthError) {
    return oauthJson({ error: error.code, error_description: error.message }, error.status, error.headers);
  }
  const problem = toApiError(error);
  if (problem.status === 503) {
    return oauthJson({ error: "temporarily_unavailable", error_description: problem.message }, 503, problem.extra.headers ?? {});
  }
  return oauthJson({ error: "server_error", error_description: "Something went wrong on our side. The error has been logged." }, 500);
}

export const tooManyFailures = (retryAfterSeconds: number) =>
  new OAuthError("invalid_request", "Too many failed token exchanges from this address. Try again later.", 429, {
    "Retry-After": String(retryAfterSeconds),
  });

/** The subject token's allowlist (SPEC §12) does not hold the caller's address; the list is not named. */
export const addressNotAllowed = () => new OAuthError("access_denied", "This token may not be used from your address.", 403);

/** The subject token's own rate limit (SPEC §12). */
export const subjectRateLimited = (retryAfterSeconds: number, headers: Record<string, string>) =>
  new OAuthError("invalid_request", "This token has made too many requests this minute. Try again later.", 429, {
    ...headers,
    "Retry-After": String(retryAfterSeconds),
  });
