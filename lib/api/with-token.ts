import { assertCurrentValue, tokenActor, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/permissions/catalog";
import { requestContextFrom } from "@/lib/http/request-context";
import { admitRequest } from "@/lib/tokens/admission";
import { noteTokenFailure, noteTokenUse } from "@/lib/tokens/last-used";
import { rateLimitHeaders } from "@/lib/tokens/rate-limit";
import { verifyToken, type TokenPrincipal } from "@/lib/tokens/verify";
import { handleAuthFailure } from "./auth-failures";
import {
  ApiError,
  insufficientScope,
  invalidToken,
  ipNotAllowed,
  problemResponse,
  tokenRateLimited,
  tooManyRequests,
  toApiError,
} from "./problem";

export type ApiContext<P> = { request: Request; principal: TokenPrincipal; actor: Actor; params: P };
type RouteContext<P> = { params: Promise<P> };
type Options = { permission?: Permission | readonly Permission[] };

/** Marks a route handler as token-authenticated; the route inventory test looks for it. */
export const WITH_TOKEN = Symbol.for("tessera.withToken");
export type WrappedHandler<P> = ((request: Request, context: RouteContext<P>) => Promise<Response>) & {
  [WITH_TOKEN]: Options;
};

const BEARER = /^Bearer ([^\s]+)$/;
const TOKEN_IN_QUERY = /tsr_[0-9A-Za-z]{20,}/;

/**
 * The one wrapper of API route handlers: reads `Authorization: Bearer`, verifies the token
 * (shape and checksum before any database work), checks the permission, hands the handler a
 * typed principal, and turns every failure into problem+json — never a stack trace.
 */
export function withToken<P = Record<string, never>>(
  handler: (context: ApiContext<P>) => Promise<Response>,
  options: Options = {},
): WrappedHandler<P> {
  // An empty list would let every token through while reading like a requirement: say "any
  // token" by leaving the option out.
  if (Array.isArray(options.permission) && options.permission.length === 0) {
    throw new Error("withToken: an empty permission list; omit `permission` to accept any token");
  }
  const required: readonly Permission[] = typeof options.permission === "string" ? [options.permission] : (options.permission ?? []);
  const wrapped = async (request: Request, routeContext: RouteContext<P>) => {
    const context = requestContextFrom(request.headers);
    try {
      refuseTokenInQuery(request);
      const match = BEARER.exec(request.headers.get("authorization")?.trim() ?? "");
      const result = await verifyToken(match?.[1]);
      if (!result.ok) {
        const wait = await handleAuthFailure(result, context);
        throw wait > 0 ? tooManyRequests(wait) : invalidToken();
      }
      const { principal } = result;
      const admission = await admitRequest(principal, context);
      if (!admission.ok && admission.reason === "ip_not_allowed") {
        const refusal = {
          ok: false as const,
          reason: admission.reason,
          tokenId: principal.tokenId,
          organizationId: principal.organizationId,
        };
        const wait = await handleAuthFailure(refusal, context);
        throw wait > 0 ? tooManyRequests(wait) : ipNotAllowed();
      }
      if (!admission.ok) {
        noteTokenFailure(principal);
        throw tokenRateLimited(admission.rate.resetSeconds, rateLimitHeaders(admission.rate));
      }
      if (required.length > 0 && !required.some((permission) => principal.apiPermissions.includes(permission))) {
        throw insufficientScope(required[0] ?? "");
      }
      noteTokenUse(principal, context);
      const actor = tokenActor(principal, context);
      // A previous value in its grace period reads, and changes nothing (SPEC §14): no token,
      // client secret or webhook endpoint of its own to outlive its grace. The data layer refuses
      // the token and client-secret changes too (assertCurrentValue).
      if (request.method !== "GET" && request.method !== "HEAD") assertCurrentValue(actor);
      const response = await handler({ request, principal, actor, params: await routeContext.params });
      if (admission.rate) for (const [name, value] of Object.entries(rateLimitHeaders(admission.rate))) response.headers.set(name, value);
      return response;
    } catch (error) {
      return problemResponse(toApiError(error));
    }
  };
  return Object.assign(wrapped, { [WITH_TOKEN]: options });
}

function refuseTokenInQuery(request: Request): void {
  const url = new URL(request.url);
  // The raw query and every decoded name and value: URLSearchParams decodes leniently, where
  // decodeURIComponent would throw on a stray "%FF" and let a value hide behind it.
  const query = [url.search, ...[...url.searchParams].flat()].join("\n");
  if (url.searchParams.has("access_token") || TOKEN_IN_QUERY.test(query)) {
    throw new ApiError(
      400,
      "token_in_query",
      "Bad Request",
      "Tokens are never accepted in the URL, where logs and browser history keep them. Send it in the Authorization header and revoke the exposed token.",
    );
  }
}
