import { eq } from "drizzle-orm";
import { createRemoteJWKSet, customFetch, decodeProtectedHeader, jwtVerify } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as jwksRoute } from "@/app/.well-known/jwks.json/route";
import { GET as metadataRoute } from "@/app/.well-known/oauth-authorization-server/route";
import { getDb } from "@/db";
import { signingKeys } from "@/db/schema";
import { consoleActor } from "@/lib/auth/actor";
import { getEnv } from "@/lib/env";
import { decryptPrivateKey, deriveKeyEncryptionKey } from "@/lib/oauth/key-encryption";
import { ensureSigningKey, publishedSigningKeys, rotateSigningKey } from "@/lib/oauth/signing-keys";
import { exchangedJwt, introspect } from "../../fixtures/oauth";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";
import { applicationIdOf, clientCredentials } from "../../fixtures/applications";

const ISSUER = "http://localhost:3000";
let pat: string;
let introspector: string;

beforeAll(async () => {
  const org = await createTestOrganization();
  pat = (await createTestToken(consoleActor(org.repOne, { ip: null, userAgent: null }), { permissions: ["assessments:write"] })).value;
  const enterprise = await applicationIdOf(org.organization.id, "enterprise-rest-api");
  introspector = (await clientCredentials(consoleActor(org.admin, { ip: null, userAgent: null }), enterprise)).authorization;
});

/** What a resource server does: fetch the JWKS over "HTTP" (here: the route handler in-process). */
const remoteJwks = () => createRemoteJWKSet(new URL(`${ISSUER}/.well-known/jwks.json`), { [customFetch]: () => jwksRoute() });

describe("signing keys", () => {
  it("a key exists after start-up, and its private half rests encrypted under AUTH_SECRET, bound to its kid", async () => {
    const { kid } = await ensureSigningKey();
    const db = await getDb();
    const [row] = await db.select().from(signingKeys).where(eq(signingKeys.kid, kid));
    expect(row?.algorithm).toBe("ES256");
    expect(row?.publicJwk).not.toHaveProperty("d");
    const sealed = row?.encryptedPrivateKey ?? "";
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const privateJwk = JSON.parse(decryptPrivateKey(sealed, deriveKeyEncryptionKey(getEnv().authSecret), kid));
    expect(privateJwk).toMatchObject({ kty: "EC", crv: "P-256", d: expect.any(String) });
    expect(sealed).not.toContain(privateJwk.d);
    expect(() => decryptPrivateKey(sealed, deriveKeyEncryptionKey("another secret of at least 32 chars"), kid)).toThrow(
      /cannot be decrypted/,
    );
    expect(() => decryptPrivateKey(sealed, deriveKeyEncryptionKey(getEnv().authSecret), "another-kid")).toThrow(/cannot be decrypted/);
  });

  it("GET /.well-known/jwks.json — public ES256 keys only, briefly cacheable", async () => {
    await ensureSigningKey();
    const response = await jwksRoute();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toEqual({
        kty: "EC",
        crv: "P-256",
        x: expect.any(String),
        y: expect.any(String),
        kid: expect.any(String),
        alg: "ES256",
        use: "sig",
      });
    }
  });

  it("GET /.well-known/oauth-authorization-server — RFC 8414 metadata for the issuer", async () => {
    const response = metadataRoute();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await response.json()).toMatchObject({
      issuer: ISSUER,
      token_endpoint: `${ISSUER}/api/v1/oauth/token`,
      introspection_endpoint: `${ISSUER}/api/v1/oauth/introspect`,
      jwks_uri: `${ISSUER}/.well-known/jwks.json`,
      grant_types_supported: ["urn:ietf:params:oauth:grant-type:token-exchange"],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: ["none"],
      introspection_endpoint_auth_methods_supported: ["client_secret_basic"],
      // Tessera's own: every other application's catalog is its organization's business.
      scopes_supported: expect.arrayContaining(["tokens:introspect", "applications:write"]),
    });
  });

  it("a key rotation keeps earlier JWTs verifiable through the JWKS, and new JWTs use the new key", async () => {
    const before = await exchangedJwt(pat, { audience: "https://api.enterprise.example" });
    const oldKid = decodeProtectedHeader(before).kid;
    const rotation = await rotateSigningKey();
    expect(rotation.kid).not.toBe(oldKid);
    const after = await exchangedJwt(pat, { audience: "https://api.enterprise.example" });
    expect(decodeProtectedHeader(after).kid).not.toBe(oldKid);

    const jwks = remoteJwks();
    for (const jwt of [before, after]) {
      const { payload } = await jwtVerify(jwt, jwks, {
        issuer: ISSUER,
        audience: "https://api.enterprise.example",
        algorithms: ["ES256"],
        typ: "at+jwt",
      });
      expect(payload.scope).toBe("assessments:write");
      expect(await (await introspect(introspector, jwt)).json()).toMatchObject({ active: true });
    }
  });

  it("a superseded key stays published for the JWT lifetime plus a margin, then leaves the JWKS", async () => {
    await ensureSigningKey();
    const supersededAt = new Date();
    const { superseded } = await rotateSigningKey(supersededAt);
    expect(superseded.length).toBeGreaterThan(0);
    const kidsAt = async (minutes: number) =>
      (await publishedSigningKeys(new Date(supersededAt.getTime() + minutes * 60_000))).map((key) => key.kid);
    for (const kid of superseded) {
      expect(await kidsAt(14)).toContain(kid);
      expect(await kidsAt(19)).toContain(kid);
      expect(await kidsAt(21)).not.toContain(kid);
    }
    expect((await kidsAt(21)).length).toBeGreaterThan(0);
  });
});
