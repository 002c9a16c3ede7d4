import { and, eq } from "drizzle-orm";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, personalAccessTokens, users } from "@/db/schema";
import { consoleActor } from "@/lib/auth/actor";
import { exchangeToken } from "@/lib/oauth/token-exchange";
import { TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_JWT } from "@/lib/oauth/vocabulary";
import { revokeToken } from "@/lib/tokens/revoke";
import { setTokenActive } from "@/lib/tokens/update";
import { freshIp } from "../../fixtures/client-addresses";
import { exchange, exchangeForm } from "../../fixtures/oauth";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";

const ASSESSMENTS = ["employees:read", "assessments:read", "assessments:write"];
type Org = Awaited<ReturnType<typeof createTestOrganization>>;
let org: Org;
const repActor = () => consoleActor(org.repOne, { ip: null, userAgent: null });
const adminActor = () => consoleActor(org.admin, { ip: null, userAgent: null });

beforeAll(async () => {
  org = await createTestOrganization();
});

async function body(response: Response): Promise<Record<string, unknown>> {
  const json: unknown = await response.json();
  if (typeof json !== "object" || json === null) throw new Error("not a JSON object");
  return Object.fromEntries(Object.entries(json));
}

describe("POST /api/v1/oauth/token — RFC 8693 token exchange", () => {
  it("exchanges a PAT for an ES256 JWT carrying every effective permission when no scope is asked for", async () => {
    const pat = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    const response = await exchange(pat.value, { audience: "https://api.enterprise.example" });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("pragma")).toBe("no-cache");
    const result = await body(response);
    expect(result).toMatchObject({
      issued_token_type: TOKEN_TYPE_ACCESS_TOKEN,
      token_type: "Bearer",
      expires_in: 900,
      // Catalog order, whatever order the permissions were granted in.
      scope: "employees:read assessments:read assessments:write",
    });
    const jwt = String(result.access_token);
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: expect.any(String) });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({
      scope: "employees:read assessments:read assessments:write",
      iss: "http://localhost:3000",
      sub: org.repOne.id,
      aud: "https://api.enterprise.example",
      org: org.organization.slug,
      account_sid: pat.token.accountSid,
      client_id: pat.token.accountSid,
      token_id: pat.token.id,
      jti: expect.any(String),
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
  });

  it("narrowing works: the JWT carries only what was asked for", async () => {
    const pat = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    const response = await exchange(pat.value, { scope: "assessments:write", requested_token_type: TOKEN_TYPE_JWT });
    expect(response.status).toBe(200);
    const result = await body(response);
    expect(result).toMatchObject({ scope: "assessments:write", issued_token_type: TOKEN_TYPE_JWT });
    expect(decodeJwt(String(result.access_token)).scope).toBe("assessments:write");
  });

  it("widening is refused with invalid_scope, naming what the PAT does not hold", async () => {
    const pat = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    for (const scope of ["assessments:write orders:write", "tokens:admin", "no-such:permission"]) {
      const response = await exchange(pat.value, { scope });
      expect(response.status, scope).toBe(400);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const result = await body(response);
      expect(result.error, scope).toBe("invalid_scope");
      expect(Object.keys(result).sort()).toEqual(["error", "error_description"]);
    }
    const widened = await body(await exchange(pat.value, { scope: "assessments:write orders:write" }));
    expect(widened.error_description).toContain("orders:write");
  });

  it("a rep's stored admin-only permission cannot be exchanged into the JWT (effective permissions only)", async () => {
    const pat = await createTestToken(adminActor(), { permissions: ["tokens:introspect", "tokens:read"] });
    // The owner is demoted: what the token may do narrows at once, and so does what it can exchange for.
    const db = await getDb();
    await db.update(users).set({ role: "rep" }).where(eq(users.id, org.admin.id));
    try {
      expect((await body(await exchange(pat.value, { scope: "tokens:introspect" }))).error).toBe("invalid_scope");
      expect((await body(await exchange(pat.value))).scope).toBe("tokens:read");
    } finally {
      await db.update(users).set({ role: "admin" }).where(eq(users.id, org.admin.id));
    }
  });

  it("a JWT never outlives its PAT: exp is the PAT's expiry when that comes first", async () => {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 5 * 60_000);
    const pat = await createTestToken(repActor(), { permissions: ASSESSMENTS, expiresAt }, now);
    const result = await body(await exchange(pat.value));
    const claims = decodeJwt(String(result.access_token));
    expect(claims.exp).toBe(Math.floor(expiresAt.getTime() / 1000));
    expect(Number(result.expires_in)).toBeLessThanOrEqual(300);
    expect(Number(result.expires_in)).toBeGreaterThan(290);
  });

  it("a JWT lives at most 15 minutes, and never past the PAT, at any moment of the PAT's life", async () => {
    const created = new Date();
    const pat = await createTestToken(
      repActor(),
      { permissions: ASSESSMENTS, expiresAt: new Date(created.getTime() + 3_600_000) },
      created,
    );
    const patExpiry = Math.floor((created.getTime() + 3_600_000) / 1000);
    for (const minutesLater of [0, 30, 50, 59]) {
      const now = new Date(created.getTime() + minutesLater * 60_000);
      const form = await exchangeForm(pat.value);
      const result = await exchangeToken(form, { ip: freshIp(), userAgent: null }, now);
      const claims = decodeJwt(result.access_token);
      const iat = Math.floor(now.getTime() / 1000);
      expect(claims.iat).toBe(iat);
      expect(Number(claims.exp)).toBe(Math.min(iat + 900, patExpiry));
      expect(result.expires_in).toBe(Number(claims.exp) - iat);
    }
  });

  it("a revoked, deactivated, expired or unknown PAT cannot be exchanged: invalid_request, one answer for all", async () => {
    const revoked = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    await revokeToken(repActor(), revoked.token.id, "test");
    const inactive = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    await setTokenActive(repActor(), inactive.token.id, false);
    const expired = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(personalAccessTokens.id, expired.token.id));
    const answers = new Set<string>();
    for (const value of [revoked.value, inactive.value, expired.value, "tsr_not-a-token", "eyJhbGciOiJFUzI1NiJ9.e30.c2ln"]) {
      const response = await exchange(value);
      expect(response.status).toBe(400);
      answers.add(JSON.stringify(await response.json()));
    }
    expect([...answers]).toEqual([
      JSON.stringify({
        error: "invalid_request",
        error_description: "The subject_token is malformed, unknown, expired, inactive or revoked.",
      }),
    ]);
  });

  it("records one token.exchanged audit event per exchange, with the JWT's id but never a token value", async () => {
    const pat = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    const result = await body(
      await exchange(pat.value, { scope: "assessments:read", audience: "https://api.enterprise.example" }, { ip: "198.51.100.77" }),
    );
    const db = await getDb();
    const events = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, org.organization.id),
          eq(auditEvents.action, "token.exchanged"),
          eq(auditEvents.targetId, pat.token.id),
        ),
      );
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({ actorTokenId: pat.token.id, actorUserId: org.repOne.id, targetType: "token", ip: "198.51.100.77" });
    expect(event?.details).toMatchObject({
      jti: decodeJwt(String(result.access_token)).jti,
      scope: ["assessments:read"],
      audience: ["https://api.enterprise.example"],
    });
    const stored = JSON.stringify(event);
    expect(stored).not.toContain(pat.value);
    expect(stored).not.toContain(String(result.access_token));
  });

  it("failed exchanges are rate-limited per address like other failed authentications (429 with Retry-After)", async () => {
    const ip = freshIp();
    let last: Response | undefined;
    for (let attempt = 0; attempt < 31; attempt += 1) {
      last = await exchange(`tsr_${"A".repeat(38)}`, {}, { ip });
      if (last.status === 429) break;
      expect(last.status).toBe(400);
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last?.json()).toMatchObject({ error: "invalid_request" });
  });

  it("a valid subject token from an address blocked for its failures is still exchanged, as on the rest of the API", async () => {
    const ip = freshIp();
    for (let attempt = 0; attempt < 31; attempt += 1) await exchange(`tsr_${"A".repeat(38)}`, {}, { ip });
    expect((await exchange(`tsr_${"A".repeat(38)}`, {}, { ip })).status).toBe(429);
    const pat = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    expect((await exchange(pat.value, {}, { ip })).status).toBe(200);
  });

  it("answers a grant type it does not support with unsupported_grant_type", async () => {
    const pat = await createTestToken(repActor(), { permissions: ASSESSMENTS });
    const response = await exchange(pat.value, { grant_type: "client_credentials" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "unsupported_grant_type" });
  });
});
