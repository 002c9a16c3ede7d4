import { z, ZodError } from "zod";
import { isDatabaseUnavailable } from "@/db/availability";
import { DomainError, InsufficientScope, RateLimited } from "@/lib/shared/errors";

/** An RFC 9457 problem, thrown by API handlers and rendered by withToken. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail: string,
    readonly extra: { headers?: Record<string, string>; errors?: Partial<Record<string, string[]>> } = {},
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

const PROBLEM_TYPE = "https://tessera.dev/problems/";

export function problemResponse(error: ApiError): Response {
  return Response.json(
    {
      type: `${PROBLEM_TYPE}${error.code}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      code: error.code,
      ...(error.extra.errors ? { errors: error.extra.errors } : {}),
    },
    {
      status: error.status,
      headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...error.extra.headers },
    },
  );
}

// One answer for every unusable token (RFC 6750 §3.1), so a caller learns nothing about which.
export const invalidToken = () =>
  new ApiError(401, "invalid_token", "Unauthorized", "The access token is missing, malformed, unknown, expired, inactive or revoked.", {
    headers: { "WWW-Authenticate": 'Bearer realm="tessera", error="invalid_token"' },
  });

export const insufficientScope = (permission: string, detail = `This token lacks the permission ${permission}.`) =>
  new ApiError(403, "insufficient_scope", "Forbidden", detail, {
    headers: { "WWW-Authenticate": `Bearer realm="tessera", error="insufficient_scope", scope="${permission}"` },
  });

export const tooManyRequests = (retryAfterSeconds: number) =>
  new ApiError(429, "rate_limited", "Too Many Requests", "Too many failed authentications from this address. Try again later.", {
    headers: { "Retry-After": String(retryAfterSeconds) },
  });

// The allowlist itself is never named: a stolen token must not tell its thief where to go.
export const ipNotAllowed = () => new ApiError(403, "ip_not_allowed", "Forbidden", "This token may not be used from your address.");

export const tokenRateLimited = (retryAfterSeconds: number, headers: Record<string, string>) =>
  new ApiError(429, "rate_limited", "Too Many Requests", "This token has made too many requests this minute. Try again later.", {
    headers: { ...headers, "Retry-After": String(retryAfterSeconds) },
  });

export const databaseUnavailable = () =>
  new ApiError(503, "database_unavailable", "Service Unavailable", "The database is unreachable. Try again shortly.", {
    headers: { "Retry-After": "5" },
  });

export const internalError = () =>
  new ApiError(500, "internal_error", "Internal Server Error", "Something went wrong on our side. The error has been logged.");

export const notFoundProblem = (detail = "Not found.") => new ApiError(404, "not_found", "Not Found", detail);

export const invalidRequest = (detail: string, errors?: Partial<Record<string, string[]>>) =>
  new ApiError(422, "invalid_request", "Unprocessable Content", detail, errors ? { errors } : {});

export const invalidCursor = () =>
  new ApiError(
    400,
    "invalid_cursor",
    "Bad Request",
    "The cursor is not one this list issued. Start again from the first page, without it.",
  );

/** Maps anything a handler throws to a problem; unknown errors are logged by name only. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof DomainError) {
    switch (error.code) {
      case "not_found":
        return notFoundProblem(error.message);
      case "invalid":
        return invalidRequest(error.message, error.fieldErrors);
      case "conflict":
        return new ApiError(409, "conflict", "Conflict", error.message);
      case "rate_limited":
        return new ApiError(429, "rate_limited", "Too Many Requests", error.message, {
          headers: { "Retry-After": String(error instanceof RateLimited ? error.retryAfterSeconds : 60) },
        });
      case "forbidden":
        if (error instanceof InsufficientScope) return insufficientScope(error.permission, error.message);
        return new ApiError(403, "forbidden", "Forbidden", error.message);
    }
  }
  if (error instanceof ZodError) {
    const flat = z.flattenError(error);
    return invalidRequest("The request is invalid.", {
      ...flat.fieldErrors,
      ...(flat.formErrors.length ? { query: flat.formErrors } : {}),
    });
  }
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  // Name and code only: a stack or message could carry SQL text or user input into the logs.
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  console.error(`[tessera] API error: ${error instanceof Error ? error.name : typeof error} ${code}`.trim());
  return internalError();
}
