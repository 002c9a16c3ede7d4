import { getEnv } from "@/lib/env";
import { PERMISSIONS } from "@/lib/permissions/catalog";
import { GRANT_TYPE_TOKEN_EXCHANGE } from "./vocabulary";

/**
 * RFC 8414 authorization server metadata. Tessera has no authorization endpoint: its only grant
 * is token exchange, where the subject token (a PAT) authenticates the request, so the token
 * endpoint needs no client authentication; the introspection endpoint takes a Bearer PAT with
 * tokens:introspect, which has no registered name, so that method is left to the documentation.
 */
export function authorizationServerMetadata() {
  const issuer = getEnv().oauth.issuer;
  return {
    issuer,
    token_endpoint: `${issuer}/api/v1/oauth/token`,
    introspection_endpoint: `${issuer}/api/v1/oauth/introspect`,
    // An application's resource servers authenticate with its client credentials (SPEC §9); a
    // Tessera API token holding tokens:introspect, sent as a Bearer token, also works (no
    // registered name for it, so it is documented at /docs/api).
    introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    grant_types_supported: [GRANT_TYPE_TOKEN_EXCHANGE],
    response_types_supported: [],
    token_endpoint_auth_methods_supported: ["none"],
    scopes_supported: [...PERMISSIONS],
    service_documentation: `${issuer}/docs/api`,
  };
}
