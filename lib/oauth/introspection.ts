import { getEnv } from "@/lib/env";
import { authorizeIntrospection } from "@/lib/tokens/access";
import { isWellFormedToken } from "@/lib/tokens/format";
import { verifyToken, type TokenPrincipal } from "@/lib/tokens/verify";
import { verifyAccessToken } from "./access-token-jwt";
import { INACTIVE, introspectionOutput, type IntrospectionOutput } from "./schemas";
import { stillGranted } from "./scope";
import { loadUsableToken } from "./usable-token";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * RFC 7662 introspection of a PAT or of a JWT exchanged for one, for a caller holding
 * tokens:introspect. Only tokens of the caller's own organization can be active; anything else
 * — unknown, unusable, malformed, forged, or another organization's — is exactly
 * {"active": false}, so the answer tells nothing about other tenants. An exchanged JWT is
 * active only while its PAT still is: revoking or deactivating the PAT ends its JWTs too.
 */
export async function introspectToken(caller: TokenPrincipal, token: string, now = new Date()): Promise<IntrospectionOutput> {
  authorizeIntrospection(caller);
  const issuer = getEnv().oauth.issuer;

  if (isWellFormedToken(token)) {
    const verified = await verifyToken(token, now);
    if (!verified.ok || verified.principal.organizationId !== caller.organizationId) return INACTIVE;
    const pat = verified.principal;
    return introspectionOutput.parse({
      ...describe(pat),
      scope: pat.permissions.join(" "),
      exp: pat.expiresAt ? seconds(pat.expiresAt) : undefined,
      iat: seconds(pat.createdAt),
      iss: issuer,
    });
  }

  const claims = await verifyAccessToken(token, now);
  if (!claims || claims.org !== caller.organizationSlug) return INACTIVE;
  const pat = await loadUsableToken(caller.organizationId, claims.token_id, now);
  if (!pat) return INACTIVE;
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
  } as const;
}
