import type { ClientApplication } from "@/lib/applications/client-secrets";
import { getEnv } from "@/lib/env";
import { authorizeIntrospection } from "@/lib/tokens/access";
import { isWellFormedToken } from "@/lib/tokens/format";
import type { RequestContext } from "@/lib/http/request-context";
import { noteTokenUse } from "@/lib/tokens/last-used";
import { reportTokenReuse } from "@/lib/tokens/reuse";
import { verifyToken, type TokenPrincipal } from "@/lib/tokens/verify";
import { verifyAccessToken } from "./access-token-jwt";
import { INACTIVE, introspectionOutput, type IntrospectionOutput } from "./schemas";
import { stillGranted } from "./scope";
import { loadUsableToken } from "./usable-token";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * Who asks (RFC 7662 §2.1): an application's resource server by its client credentials, or a
 * Tessera API token holding tokens:introspect. Each learns only about the tokens of its own
 * application — the client about its application's, the PAT about the Tessera API's.
 */
export type IntrospectionCaller = { kind: "client"; client: ClientApplication } | { kind: "token"; principal: TokenPrincipal };

function callerScope(caller: IntrospectionCaller): {
  organizationId: string;
  organizationSlug: string;
  answersFor: (pat: TokenPrincipal) => boolean;
} {
  if (caller.kind === "client") {
    const { client } = caller;
    return {
      organizationId: client.organizationId,
      organizationSlug: client.organizationSlug,
      answersFor: (pat) => pat.application.id === client.applicationId,
    };
  }
  authorizeIntrospection(caller.principal);
  return {
    organizationId: caller.principal.organizationId,
    organizationSlug: caller.principal.organizationSlug,
    answersFor: (pat) => pat.application.builtIn,
  };
}

/**
 * RFC 7662 introspection of a PAT or of a JWT exchanged for one. Only tokens of the caller's own
 * organization and application can be active; anything else — unknown, unusable, malformed,
 * forged, another application's or another organization's — is exactly {"active": false}, so
 * the answer tells nothing about other applications or tenants. An exchanged JWT is active only
 * while its PAT still is: revoking or deactivating the PAT ends its JWTs too.
 */
export async function introspectToken(
  caller: IntrospectionCaller,
  token: string,
  context: RequestContext = { ip: null, userAgent: null },
  now = new Date(),
): Promise<IntrospectionOutput> {
  const scope = callerScope(caller);
  const issuer = getEnv().oauth.issuer;

  if (isWellFormedToken(token)) {
    const verified = await verifyToken(token, now);
    // A rotated-out value a resource server was handed after its grace: reuse, reported to its own organization only.
    if (!verified.ok && verified.reason === "reused" && verified.tokenId && verified.organizationId === scope.organizationId) {
      await reportTokenReuse({ tokenId: verified.tokenId, organizationId: verified.organizationId }, context, now);
    }
    if (!verified.ok || verified.principal.organizationId !== scope.organizationId || !scope.answersFor(verified.principal)) {
      return INACTIVE;
    }
    const pat = verified.principal;
    // A resource server checking the token is a use of it (last use, usage, idle policy, first use).
    noteTokenUse(pat, context, now);
    return introspectionOutput.parse({
      ...describe(pat),
      scope: pat.permissions.join(" "),
      exp: pat.expiresAt ? seconds(pat.expiresAt) : undefined,
      iat: seconds(pat.createdAt),
      iss: issuer,
      aud: pat.application.audience,
    });
  }

  const claims = await verifyAccessToken(token, now);
  if (!claims || claims.org !== scope.organizationSlug) return INACTIVE;
  const pat = await loadUsableToken(scope.organizationId, claims.token_id, now);
  if (!pat || !scope.answersFor(pat)) return INACTIVE;
  noteTokenUse(pat, context, now);
  return introspectionOutput.parse({
    ...describe(pat),
    scope: stillGranted(claims.scope, pat.permissions).join(" "),
    exp: claims.exp,
    iat: claims.iat,
    iss: claims.iss,
    aud: claims.aud,
    jti: claims.jti,
  });
}

function describe(pat: TokenPrincipal) {
  return {
    active: true,
    client_id: pat.accountSid,
    username: pat.username,
    sub: pat.userId,
    token_type: "Bearer",
    org: pat.organizationSlug,
    account_sid: pat.accountSid,
    application: pat.application.slug,
    ...(pat.restrictions.allowedCidrs ? { allowed_cidrs: pat.restrictions.allowedCidrs } : {}),
  } as const;
}
