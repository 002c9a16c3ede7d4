// The OAuth identifiers and limits Tessera speaks (RFC 8693, RFC 9068), named once so the
// endpoints, the metadata document and the tests cannot drift apart.

export const GRANT_TYPE_TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
export const TOKEN_TYPE_ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
export const TOKEN_TYPE_JWT = "urn:ietf:params:oauth:token-type:jwt";
export const ISSUABLE_TOKEN_TYPES = [TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_JWT] as const;
export type IssuableTokenType = (typeof ISSUABLE_TOKEN_TYPES)[number];

/** ES256: small keys and signatures, and every JOSE library verifies it. */
export const SIGNING_ALGORITHM = "ES256";
/** RFC 9068 §2.1: marks the JWT as an access token, so it cannot pass as an ID token. */
export const ACCESS_TOKEN_JWT_TYPE = "at+jwt";

/** SPEC §6: an exchanged JWT lives at most 15 minutes (and never past its PAT). */
export const JWT_MAX_LIFETIME_SECONDS = 15 * 60;
/**
 * How long a superseded key stays published beyond the JWT lifetime: covers the minute an
 * instance may keep signing with a cached key after a rotation, and clock skew.
 */
export const KEY_PUBLICATION_MARGIN_SECONDS = 5 * 60;
/** How long an instance reuses the current signing key before looking for a newer one. */
export const SIGNING_KEY_CACHE_SECONDS = 60;
