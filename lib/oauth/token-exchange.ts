import { getDb } from "@/db";
import { handleAuthFailure } from "@/lib/api/auth-failures";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { admitRequest } from "@/lib/tokens/admission";
import { noteTokenFailure, noteTokenUse } from "@/lib/tokens/last-used";
import { rateLimitHeaders } from "@/lib/tokens/rate-limit";
import { verifyToken } from "@/lib/tokens/verify";
import { signAccessToken } from "./access-token-jwt";
import { addressNotAllowed, OAuthError, subjectRateLimited, tooManyFailures } from "./errors";
import { parseTokenExchangeRequest } from "./exchange-request";
import type { OAuthForm } from "./form";
import { tokenExchangeOutput, type TokenExchangeOutput } from "./schemas";
import { narrowScope } from "./scope";
import { normalizeAudience } from "@/lib/applications/audience";
import { JWT_MAX_LIFETIME_SECONDS } from "./vocabulary";

// One answer for every unusable subject token, so a caller learns nothing about which it was.
const unusableSubject = () => new OAuthError("invalid_request", "The subject_token is malformed, unknown, expired, inactive or revoked.");

/**
 * RFC 8693 token exchange: a PAT (the subject token authenticates the request itself) for a
 * signed JWT of at most 15 minutes that never outlives the PAT and whose scope may only narrow
 * the PAT's effective permissions. A failed subject token is handled like any failed API
 * authentication (lib/api/auth-failures.ts); every exchange is an audit event (with the JWT's
 * id, never a token value).
 */
export async function exchangeToken(form: OAuthForm, context: RequestContext, now = new Date()): Promise<TokenExchangeOutput> {
  const request = parseTokenExchangeRequest(form);

  const verified = await verifyToken(request.subjectToken, now);
  if (!verified.ok) {
    const wait = await handleAuthFailure(verified, context, now);
    throw wait > 0 ? tooManyFailures(wait) : unusableSubject();
  }
  const { principal } = verified;
  // The token's restrictions hold here as on any API call (SPEC §12).
  const admission = await admitRequest(principal, context);
  if (!admission.ok && admission.reason === "ip_not_allowed") {
    const refusal = { ok: false as const, reason: admission.reason, tokenId: principal.tokenId, organizationId: principal.organizationId };
    const wait = await handleAuthFailure(refusal, context, now);
    throw wait > 0 ? tooManyFailures(wait) : addressNotAllowed();
  }
  if (!admission.ok) {
    noteTokenFailure(principal, now);
    throw subjectRateLimited(admission.rate.resetSeconds, rateLimitHeaders(admission.rate));
  }

  const scope = narrowScope(request.scope, principal.permissions);
  if (!scope.ok) throw new OAuthError("invalid_scope", scope.description);

  const issuedAt = Math.floor(now.getTime() / 1000);
  const patExpiry = principal.expiresAt ? Math.floor(principal.expiresAt.getTime() / 1000) : Number.POSITIVE_INFINITY;
  const expiresAt = Math.min(issuedAt + JWT_MAX_LIFETIME_SECONDS, patExpiry);
  if (expiresAt <= issuedAt) throw unusableSubject();

  // A token is valid for its one application (SPEC §9): the JWT's audience is that
  // application's, and asking for any other is RFC 8693's invalid_target.
  const audience = [principal.application.audience];
  const own = normalizeAudience(principal.application.audience);
  const foreign = request.targets.filter((target) => normalizeAudience(target) !== own);
  if (foreign.length > 0) {
    throw new OAuthError(
      "invalid_target",
      `This token is for the application ${principal.application.slug}, whose audience is ${principal.application.audience}; it cannot be exchanged for ${foreign.join(", ")}.`,
    );
  }
  const scopeText = scope.scope.join(" ");
  const { jwt, jti, kid } = await signAccessToken(
    {
      sub: principal.userId,
      aud: singleOrList(audience),
      exp: expiresAt,
      scope: scopeText,
      client_id: principal.accountSid,
      org: principal.organizationSlug,
      account_sid: principal.accountSid,
      token_id: principal.tokenId,
      ...(principal.restrictions.allowedCidrs ? { allowed_cidrs: principal.restrictions.allowedCidrs } : {}),
    },
    now,
  );
  await recordAuditEvent(await getDb(), {
    organizationId: principal.organizationId,
    action: "token.exchanged",
    actorUserId: principal.userId,
    actorTokenId: principal.tokenId,
    targetType: "token",
    targetId: principal.tokenId,
    targetUserId: principal.userId,
    context,
    details: { jti, kid, scope: scope.scope, audience, expires_at: new Date(expiresAt * 1000).toISOString() },
  });
  noteTokenUse(principal, context, now);

  return tokenExchangeOutput.parse({
    access_token: jwt,
    issued_token_type: request.requestedTokenType,
    token_type: "Bearer",
    expires_in: expiresAt - issuedAt,
    scope: scopeText,
  });
}

// RFC 7519 §4.1.3: one audience is conventionally a string, several an array.
function singleOrList(values: string[]): string | string[] {
  const [first] = values;
  return values.length === 1 && first !== undefined ? first : values;
}
