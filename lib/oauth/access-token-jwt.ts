import { randomUUID } from "node:crypto";
import { createLocalJWKSet, errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { currentSigningKey, publishedSigningKeys } from "./signing-keys";
import { ACCESS_TOKEN_JWT_TYPE, SIGNING_ALGORITHM } from "./vocabulary";

/** The claims of an exchanged JWT (RFC 9068 plus Tessera's `org`, `account_sid`, `token_id`, `allowed_cidrs`). */
export const accessTokenClaims = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number().int(),
  iat: z.number().int(),
  jti: z.string(),
  scope: z.string(),
  client_id: z.string(),
  org: z.string(),
  account_sid: z.string(),
  token_id: z.uuid(),
  // The PAT's allowed IP addresses (SPEC §12), for resource servers to enforce; absent: any.
  allowed_cidrs: z.array(z.string()).optional(),
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaims>;

export type AccessTokenInput = Omit<AccessTokenClaims, "iss" | "jti" | "iat">;

/** Signs an exchanged JWT with the current key; returns it with its id and key id. */
export async function signAccessToken(input: AccessTokenInput, now = new Date()) {
  const key = await currentSigningKey(now);
  const jti = randomUUID();
  const claims: AccessTokenClaims = {
    ...input,
    iss: getEnv().oauth.issuer,
    iat: Math.floor(now.getTime() / 1000),
    jti,
  };
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: ACCESS_TOKEN_JWT_TYPE })
    .sign(key.privateKey);
  return { jwt, jti, kid: key.kid };
}

/**
 * The claims of a JWT this server issued and that has not expired, checked against the keys
 * it publishes; null for anything else (forged, altered, expired, another issuer, not a JWT).
 */
export async function verifyAccessToken(jwt: string, now = new Date()): Promise<AccessTokenClaims | null> {
  const keys = createLocalJWKSet({ keys: await publishedSigningKeys(now) });
  try {
    const { payload } = await jwtVerify(jwt, keys, {
      issuer: getEnv().oauth.issuer,
      algorithms: [SIGNING_ALGORITHM],
      typ: ACCESS_TOKEN_JWT_TYPE,
      currentDate: now,
    });
    const parsed = accessTokenClaims.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
