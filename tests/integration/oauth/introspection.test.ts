import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { organizations, personalAccessTokens, users } from "@/db/schema";
import { consoleActor } from "@/lib/auth/actor";
import { revokeToken } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { exchangedJwt, introspect } from "../../fixtures/oauth";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";
import { applicationIdOf, clientCredentials } from "../../fixtures/applications";

const ASSESSMENTS = ["employees:read", "assessments:read", "assessments:write"];
const ENTERPRISE_AUDIENCE = "https://api.enterprise.example";
type Org = Awaited<ReturnType<typeof createTestOrganization>>;
let acme: Org;
let globex: Org;
let acmeIntrospector: string;
let globexIntrospector: string;
const actor = (user: Org["admin"]) => consoleActor(user, { ip: null, userAgent: null });

beforeAll(async () => {
  acme = await createTestOrganization("Acme");
  globex = await createTestOrganization("Globex");
  // Each organization's Enterprise REST API resource server, by its client credentials (SPEC §9).
  acmeIntrospector = await enterpriseClient(acme);
  globexIntrospector = await enterpriseClient(globex);
});

async function enterpriseClient(org: Org): Promise<string> {
  const id = await applicationIdOf(org.organization.id, "enterprise-rest-api");
  return (await clientCredentials(actor(org.admin), id)).authorization;
}

async function introspection(token: string | undefined, caller = acmeIntrospector): Promise<unknown> {
  const response = await introspect(caller, token);
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  return response.json();
}

/**
 * The answer once a change has reached every instance: PAT verification may be served from an
 * instance's cache, which a database notification clears right after the change commits.
 */
const settled = (token: string, caller = acmeIntrospector) => expect.poll(() => introspection(token, caller), { timeout: 5000 });

describe("POST /api/v1/oauth/introspect — RFC 7662", () => {
  it("a PAT of the caller's organization is active, with scope, client_id, username, sub, exp, iat, token_type, iss, org, account_sid", async () => {
    const expiresAt = new Date(Date.now() + 86_400_000);
    const pat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS, expiresAt });
    expect(await introspection(pat.value)).toEqual({
      active: true,
      scope: "employees:read assessments:read assessments:write",
      client_id: pat.token.accountSid,
      username: "rep.one",
      sub: acme.repOne.id,
      exp: Math.floor(expiresAt.getTime() / 1000),
      iat: Math.floor(new Date(pat.token.createdAt).getTime() / 1000),
      token_type: "Bearer",
      iss: "http://localhost:3000",
      aud: ENTERPRISE_AUDIENCE,
      org: acme.organization.slug,
      account_sid: pat.token.accountSid,
      application: "enterprise-rest-api",
    });
  });

  it("a PAT that never expires has no exp", async () => {
    const pat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS, expiresAt: null });
    const result = await introspection(pat.value);
    expect(result).toMatchObject({ active: true });
    expect(result).not.toHaveProperty("exp");
  });

  it("an exchanged JWT is active with its narrowed scope, its own exp, iat, aud and jti", async () => {
    const pat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS });
    const jwt = await exchangedJwt(pat.value, { scope: "assessments:write", audience: ENTERPRISE_AUDIENCE });
    expect(await introspection(jwt, acmeIntrospector)).toEqual({
      active: true,
      scope: "assessments:write",
      client_id: pat.token.accountSid,
      username: "rep.one",
      sub: acme.repOne.id,
      exp: expect.any(Number),
      iat: expect.any(Number),
      token_type: "Bearer",
      iss: "http://localhost:3000",
      aud: ENTERPRISE_AUDIENCE,
      jti: expect.any(String),
      org: acme.organization.slug,
      account_sid: pat.token.accountSid,
      application: "enterprise-rest-api",
    });
  });

  it("a JWT's scope shrinks with its PAT: a permission removed from the PAT is gone from the JWT's introspection", async () => {
    const pat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS });
    const jwt = await exchangedJwt(pat.value, { scope: "assessments:read assessments:write" });
    await updateToken(actor(acme.repOne), pat.token.id, { permissions: ["assessments:read"] });
    expect(await introspection(jwt)).toMatchObject({ active: true, scope: "assessments:read" });
  });

  it("a revoked PAT, and every JWT exchanged for it, introspect as exactly {active: false}", async () => {
    const pat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS });
    const jwt = await exchangedJwt(pat.value);
    expect(await introspection(jwt)).toMatchObject({ active: true });
    await revokeToken(actor(acme.repOne), pat.token.id, "leaked");
    expect(await introspection(jwt)).toEqual({ active: false });
    await settled(pat.value).toEqual({ active: false });
  });

  it("a deactivated PAT's JWTs are inactive, and active again when it is reactivated", async () => {
    const pat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS });
    const jwt = await exchangedJwt(pat.value);
    await setTokenActive(actor(acme.repOne), pat.token.id, false);
    expect(await introspection(jwt)).toEqual({ active: false });
    await settled(pat.value).toEqual({ active: false });
    await setTokenActive(actor(acme.repOne), pat.token.id, true);
    expect(await introspection(jwt)).toMatchObject({ active: true });
  });

  it("an inactive owner or organization makes the PAT and its JWTs inactive", async () => {
    const org = await createTestOrganization("Short-lived");
    const introspector = await enterpriseClient(org);
    const pat = await createTestToken(actor(org.repOne), { permissions: ASSESSMENTS });
    const jwt = await exchangedJwt(pat.value);
    const db = await getDb();
    await db.update(users).set({ active: false }).where(eq(users.id, org.repOne.id));
    expect(await introspection(jwt, introspector)).toEqual({ active: false });
    await settled(pat.value, introspector).toEqual({ active: false });
    await db.update(users).set({ active: true }).where(eq(users.id, org.repOne.id));
    await db.update(organizations).set({ active: false }).where(eq(organizations.id, org.organization.id));
    // The resource server belongs to the deactivated organization too, so it cannot even authenticate.
    await expect.poll(async () => (await introspect(introspector, jwt)).status, { timeout: 5000 }).toBe(401);
    expect(await introspection(jwt, acmeIntrospector)).toEqual({ active: false });
  });

  it("the caller cannot see another organization's tokens: its PATs and JWTs are exactly {active: false}", async () => {
    const acmePat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS });
    const acmeJwt = await exchangedJwt(acmePat.value);
    expect(await introspection(acmePat.value, globexIntrospector)).toEqual({ active: false });
    expect(await introspection(acmeJwt, globexIntrospector)).toEqual({ active: false });
    // …while the same tokens are active for their own organization.
    expect(await introspection(acmeJwt, acmeIntrospector)).toMatchObject({ active: true });
  });

  it("unknown, expired, malformed, forged or altered tokens are exactly {active: false}", async () => {
    const pat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS });
    const jwt = await exchangedJwt(pat.value);
    const expired = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS });
    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(personalAccessTokens.id, expired.token.id));
    const [header, payload, signature] = jwt.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const widened = Buffer.from(JSON.stringify({ ...claims, scope: "tokens:admin" })).toString("base64url");
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${payload}.`;
    for (const token of [
      `tsr_${"A".repeat(38)}`,
      expired.value,
      "not a token",
      `${header}.${widened}.${signature}`,
      unsigned,
      `${jwt.slice(0, -4)}AAAA`,
    ]) {
      expect(await introspection(token), token).toEqual({ active: false });
    }
  });

  it("a token_type_hint is accepted and does not change the answer", async () => {
    const pat = await createTestToken(actor(acme.repOne), { permissions: ASSESSMENTS });
    const response = await introspect(acmeIntrospector, pat.value, { token_type_hint: "refresh_token" });
    expect(await response.json()).toMatchObject({ active: true });
  });

  it("a request without a token parameter is an RFC 6749 invalid_request", async () => {
    const response = await introspect(acmeIntrospector, undefined);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_request", error_description: expect.any(String) });
  });

  it("the caller needs tokens:introspect, whatever else it holds", async () => {
    const admin = await createTestToken(actor(acme.admin), { permissions: ["tokens:admin", "tokens:read"] });
    const response = await introspect(admin.value, admin.value);
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toContain('scope="tokens:introspect"');
  });
});
