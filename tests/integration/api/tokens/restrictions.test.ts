import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { PATCH as patchToken } from "@/app/api/v1/tokens/[id]/route";
import { POST as rotateToken } from "@/app/api/v1/tokens/[id]/rotate/route";
import { POST as createTokenRoute } from "@/app/api/v1/tokens/route";
import { POST as rotateSelf } from "@/app/api/v1/tokens/self/rotate/route";
import { POST as createClientSecretRoute } from "@/app/api/v1/applications/[id]/client-secrets/route";
import { getDb } from "@/db";
import { auditEvents, personalAccessTokens } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { createToken } from "@/lib/tokens/create";
import { listTokens } from "@/lib/tokens/queries";
import { updateTokenPolicy } from "@/lib/organizations/update-policy";
import { tokenRateLimits } from "@/lib/tokens/rate-limit";
import { verifyToken } from "@/lib/tokens/verify";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";
import { exchange, introspect } from "../../../fixtures/oauth";
import { DEFAULT_POLICY } from "../../../fixtures/organizations";
import { setPolicy, tokenRow } from "../../../fixtures/tokens";
import { createTokenViaApi } from "../../../fixtures/tokens-api";
import { applicationIdOf, clientCredentials } from "../../../fixtures/applications";

// SPEC §12: per-token restrictions — allowed IP addresses, a rate limit, a valid-from time —
// set through the API and enforced on every request.

let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

// Refused calls count against their address's limit of failed authentications, which test files
// share on PostgreSQL: each refused call comes from an address of its own.
let refusedCalls = 0;
const elsewhere = () => `198.18.90.${(refusedCalls++ % 250) + 1}`;
const me = (token: string, ip: string) => callRoute(getMe, { token, ip });

type Body = Record<string, unknown>;
const create = (body: Body, token = f.admin.value) =>
  callRoute(createTokenRoute, { method: "POST", token, body: { description: "restricted", permissions: ["tokens:read"], ...body } });
const patch = (id: string, body: Body, token = f.admin.value) => callRoute(patchToken, { method: "PATCH", token, params: { id }, body });

async function tokenCount() {
  const db = await getDb();
  return (
    await db
      .select({ id: personalAccessTokens.id })
      .from(personalAccessTokens)
      .where(eq(personalAccessTokens.organizationId, f.org.organization.id))
  ).length;
}

describe("setting restrictions", () => {
  it("POST /api/v1/tokens — stores allowed addresses in canonical form, a rate limit and a valid-from time", async () => {
    const response = await create({
      allowed_cidrs: ["203.0.113.7", "10.1.2.3/8", "2001:DB8::/32", "203.0.113.7"],
      rate_limit_per_minute: 120,
      valid_from: "2026-01-01T00:00:00Z",
    });
    expect(response.status).toBe(201);
    const { token } = await response.json();
    expect(token).toMatchObject({
      allowed_cidrs: ["203.0.113.7/32", "10.0.0.0/8", "2001:db8::/32"],
      rate_limit_per_minute: 120,
      valid_from: "2026-01-01T00:00:00.000Z",
    });
  });

  it.each([
    [{ allowed_cidrs: ["10.0.0.300"] }, "allowedCidrs"],
    [{ allowed_cidrs: ["10.0.0.0/33"] }, "allowedCidrs"],
    [{ allowed_cidrs: Array.from({ length: 51 }, (_, i) => `10.0.${i}.0/24`) }, "allowedCidrs"],
    [{ rate_limit_per_minute: 0 }, "rateLimitPerMinute"],
    [{ rate_limit_per_minute: 6001 }, "rateLimitPerMinute"],
    [{ valid_from: "2030-01-02T00:00:00Z", expires_at: "2030-01-01T00:00:00Z" }, "validFrom"],
    [{ valid_from: "0000-01-01T00:00:00Z" }, "validFrom"],
  ])("POST /api/v1/tokens — %j is refused with a field error and creates nothing", async (body, field) => {
    const before = await tokenCount();
    const response = await create(body);
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.errors[field]?.[0]).toEqual(expect.any(String));
    expect(await tokenCount()).toBe(before);
  });

  it("the policy may require allowed addresses for tokens with a :write permission", async () => {
    await setPolicy(f.org.organization.id, { requireAllowlistForWrite: true });
    const refused = await create({ permissions: ["tokens:read", "tokens:write"] });
    expect(refused.status).toBe(422);
    expect((await refused.json()).errors.allowedCidrs).toEqual([
      "Your organization requires allowed IP addresses for tokens with write or admin permissions.",
    ]);
    // tokens:admin changes every token: it counts as write power.
    expect((await create({ permissions: ["tokens:admin"] })).status).toBe(422);
    expect((await create({ permissions: ["tokens:read"] })).status).toBe(201);
    expect((await create({ permissions: ["tokens:write"], allowed_cidrs: ["192.0.2.0/24"] })).status).toBe(201);
  });

  // Security review, third round (issue 24, finding 6): 0.0.0.0/0 and ::/0 met the requirement.
  it("the allowlist policy refuses ranges wider than its widest (default /8 and /32), and /0 always", async () => {
    await setPolicy(f.org.organization.id, { requireAllowlistForWrite: true });
    const writer = (allowed_cidrs: string[]) => create({ permissions: ["tokens:write"], allowed_cidrs });
    for (const wide of [["0.0.0.0/0"], ["::/0"], ["10.0.0.0/7"], ["2001:db8::/31"], ["192.0.2.0/24", "0.0.0.0/1"]]) {
      const refused = await writer(wide);
      expect(refused.status, wide.join()).toBe(422);
      expect((await refused.json()).errors.allowedCidrs[0]).toMatch(/no wider than \/8 \(IPv4\) and \/32 \(IPv6\)/);
    }
    expect((await writer(["10.0.0.0/8", "2001:db8::/32"])).status).toBe(201);
    // A read-only token is not held to it.
    expect((await create({ permissions: ["tokens:read"], allowed_cidrs: ["0.0.0.0/0"] })).status).toBe(201);
    // The widest range is the organization's to set, never /0.
    await setPolicy(f.org.organization.id, { allowlistMinPrefixV4: 16 });
    expect((await writer(["10.0.0.0/8"])).status).toBe(422);
    expect((await writer(["10.1.0.0/16"])).status).toBe(201);
    const zero = await updateTokenPolicy(f.adminActor, { ...DEFAULT_POLICY, allowlistMinPrefixV4: 0 }).catch((error: unknown) => error);
    expect(zero).toMatchObject({ fieldErrors: { allowlistMinPrefixV4: ["Use at least 1: /0 names every address."] } });
  });

  it("a write token allowed from everywhere is outside the allowlist policy, in the list and by the filter alike", async () => {
    const everywhere = await createTokenViaApi(f.admin.value, {
      description: "anywhere",
      permissions: ["tokens:write"],
      allowed_cidrs: ["::/0"],
    });
    const narrow = await createTokenViaApi(f.admin.value, {
      description: "narrow",
      permissions: ["tokens:write"],
      allowed_cidrs: ["2001:db8::/48"],
    });
    await setPolicy(f.org.organization.id, { requireAllowlistForWrite: true });
    const outside = await listTokens(f.adminActor, { outsidePolicy: true, limit: 100 });
    expect(outside.tokens.map((token) => token.id)).toContain(everywhere.token.id);
    expect(outside.tokens.map((token) => token.id)).not.toContain(narrow.token.id);
    const all = await listTokens(f.adminActor, { limit: 100 });
    expect(all.tokens.find((token) => token.id === everywhere.token.id)?.outsidePolicy).toBe(true);
    expect(all.tokens.find((token) => token.id === narrow.token.id)?.outsidePolicy).toBe(false);
  });

  it("tokens made before the allowlist policy are flagged outside policy, in the list and by the filter; an allowlist brings them back", async () => {
    const writer = await createTokenViaApi(f.admin.value, { description: "old writer", permissions: ["tokens:read", "tokens:write"] });
    const reader = await createTokenViaApi(f.admin.value, { description: "old reader", permissions: ["tokens:read"] });
    await setPolicy(f.org.organization.id, { requireAllowlistForWrite: true });
    const outside = await listTokens(f.adminActor, { outsidePolicy: true, limit: 100 });
    const flagged = outside.tokens.map((token) => token.id);
    expect(flagged).toContain(writer.token.id);
    expect(flagged).not.toContain(reader.token.id);
    expect(outside.tokens.every((token) => token.outsidePolicy)).toBe(true);
    expect((await patch(writer.token.id, { allowed_cidrs: ["192.0.2.0/24"] })).status).toBe(200);
    const after = await listTokens(f.adminActor, { outsidePolicy: true, limit: 100 });
    expect(after.tokens.map((token) => token.id)).not.toContain(writer.token.id);
  });

  it("PATCH /api/v1/tokens/{id} — edits and lifts restrictions, audited old → new", async () => {
    const { token } = await createTokenViaApi(f.admin.value, { description: "edited", permissions: ["tokens:read"] });
    const edited = await patch(token.id, { allowed_cidrs: ["192.0.2.0/24"], rate_limit_per_minute: 10 });
    expect(edited.status).toBe(200);
    expect(await edited.json()).toMatchObject({ allowed_cidrs: ["192.0.2.0/24"], rate_limit_per_minute: 10 });
    const lifted = await patch(token.id, { allowed_cidrs: [], rate_limit_per_minute: null });
    expect(await lifted.json()).toMatchObject({ allowed_cidrs: null, rate_limit_per_minute: null });
    const db = await getDb();
    const events = await db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, f.org.organization.id),
          eq(auditEvents.action, "token.updated"),
          eq(auditEvents.targetId, token.id),
        ),
      );
    expect(events.map((event) => event.details.changes)).toEqual(
      expect.arrayContaining([
        { allowedCidrs: { from: null, to: ["192.0.2.0/24"] }, rateLimitPerMinute: { from: null, to: 10 } },
        { allowedCidrs: { from: ["192.0.2.0/24"], to: null }, rateLimitPerMinute: { from: 10, to: null } },
      ]),
    );
  });
});

describe("a restricted token cannot loosen restrictions (the subset rule)", () => {
  it("a token limited to some addresses or a rate cannot create, widen or rotate a looser token", async () => {
    const restricted = await createTokenViaApi(f.admin.value, {
      description: "ci",
      permissions: ["tokens:read", "tokens:write", "tokens:admin"],
      allowed_cidrs: ["192.0.2.0/24"],
      rate_limit_per_minute: 100,
    });
    const from = "192.0.2.10";
    const as = { token: restricted.value, ip: from };
    const post = (body: Body) =>
      callRoute(createTokenRoute, { ...as, method: "POST", body: { description: "minted", permissions: ["tokens:read"], ...body } });
    const patchOwn = (body: Body) => callRoute(patchToken, { ...as, method: "PATCH", params: { id: restricted.token.id }, body });

    expect((await post({})).status).toBe(403);
    expect((await post({ allowed_cidrs: ["0.0.0.0/0"], rate_limit_per_minute: 100 })).status).toBe(403);
    expect((await post({ allowed_cidrs: ["192.0.2.0/25"] })).status).toBe(403);
    expect((await post({ allowed_cidrs: ["192.0.2.0/25"], rate_limit_per_minute: 101 })).status).toBe(403);
    expect((await post({ allowed_cidrs: ["192.0.2.0/25"], rate_limit_per_minute: 100 })).status).toBe(201);

    // Its own restrictions, or another token's, cannot be lifted by it.
    expect((await patchOwn({ allowed_cidrs: null })).status).toBe(403);
    expect((await patchOwn({ rate_limit_per_minute: 1000 })).status).toBe(403);
    expect((await patchOwn({ allowed_cidrs: ["192.0.2.128/25"], rate_limit_per_minute: 50 })).status).toBe(200);
    // An unrestricted token's new value would work from anywhere: it may not rotate it.
    expect((await callRoute(rotateToken, { ...as, method: "POST", params: { id: f.rep.token.id } })).status).toBe(403);
    expect((await verifyToken(f.rep.value)).ok).toBe(true);
  });

  it("a restricted token cannot give power to, or switch on, a token whose value works from anywhere; it may still take power away", async () => {
    const restricted = await createTokenViaApi(f.admin.value, {
      description: "ci",
      permissions: ["tokens:read", "tokens:write", "tokens:admin", "applications:write"],
      allowed_cidrs: ["192.0.2.0/24"],
    });
    const as = { token: restricted.value, ip: "192.0.2.10" };
    const open = await createTokenViaApi(f.admin.value, { description: "open", permissions: ["tokens:read"] });
    const patchOpen = (body: Body) => callRoute(patchToken, { ...as, method: "PATCH", params: { id: open.token.id }, body });

    expect((await patchOpen({ permissions: ["tokens:read", "tokens:admin"] })).status).toBe(403);
    expect((await patchOpen({ description: "renamed" })).status).toBe(403);
    expect((await patchOpen({ active: false })).status).toBe(200);
    expect((await patchOpen({ active: true })).status).toBe(403);
    expect((await tokenRow(open.token.id))?.permissions).toEqual(["tokens:read"]);

    // A client secret works from any address: a token limited to some cannot mint one.
    const enterprise = await applicationIdOf(f.org.organization.id, "enterprise-rest-api");
    expect((await callRoute(createClientSecretRoute, { ...as, method: "POST", params: { id: enterprise } })).status).toBe(403);
  });
});

describe("enforcement", () => {
  it("an allowlisted token works from its addresses and answers 403 ip_not_allowed elsewhere, without naming the list", async () => {
    const { value, token } = await createTokenViaApi(f.admin.value, {
      description: "office",
      permissions: ["tokens:read"],
      allowed_cidrs: ["203.0.113.0/24", "2001:db8::/32"],
    });
    expect((await me(value, "203.0.113.99")).status).toBe(200);
    expect((await me(value, "::ffff:203.0.113.5")).status).toBe(200);
    expect((await me(value, "2001:db8::7")).status).toBe(200);

    const ip = elsewhere();
    const refused = await me(value, ip);
    expect(refused.status).toBe(403);
    const problem = await refused.text();
    expect(JSON.parse(problem)).toMatchObject({ code: "ip_not_allowed", status: 403 });
    expect(problem).not.toContain("203.0.113");
    expect(problem).not.toContain("2001:db8");

    // The refusal is audited for the token, with the address it came from.
    const db = await getDb();
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, f.org.organization.id),
          eq(auditEvents.action, "auth.failed"),
          eq(auditEvents.targetId, token.id),
        ),
      );
    expect(event).toMatchObject({ ip, details: { reason: "ip_not_allowed" } });
  });

  it("narrowing the allowlist takes effect at once", async () => {
    const { value, token } = await createTokenViaApi(f.admin.value, { description: "narrowed", permissions: ["tokens:read"] });
    const ip = elsewhere();
    expect((await me(value, ip)).status).toBe(200);
    expect((await patch(token.id, { allowed_cidrs: ["192.0.2.1"] })).status).toBe(200);
    expect((await me(value, ip)).status).toBe(403);
  });

  it("a token is refused with 401 before its valid-from time, and works after it", async () => {
    const start = new Date(Date.now() + 3600_000);
    const { value, token } = await createTokenViaApi(f.admin.value, {
      description: "later",
      permissions: ["tokens:read"],
      valid_from: start.toISOString(),
    });
    expect((await me(value, elsewhere())).status).toBe(401);
    expect(await verifyToken(value)).toMatchObject({ ok: false, reason: "not_yet_valid", tokenId: token.id });
    expect((await verifyToken(value, new Date(start.getTime() + 1000))).ok).toBe(true);
    expect((await patch(token.id, { valid_from: null })).status).toBe(200);
    expect((await me(value, elsewhere())).status).toBe(200);
  });

  it("a rate-limited token gets the RateLimit fields, then 429 with Retry-After", async () => {
    const { value } = await createTokenViaApi(f.admin.value, {
      description: "limited",
      permissions: ["tokens:read"],
      rate_limit_per_minute: 3,
    });
    const ip = elsewhere();
    for (const remaining of [2, 1, 0]) {
      const ok = await me(value, ip);
      expect(ok.status).toBe(200);
      expect(ok.headers.get("RateLimit-Policy")).toBe('"token";q=3;w=60');
      expect(ok.headers.get("RateLimit")).toMatch(new RegExp(`^"token";r=${remaining};t=\\d+$`));
    }
    const limited = await me(value, ip);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: "rate_limited" });
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(limited.headers.get("RateLimit")).toMatch(/^"token";r=0;t=\d+$/);
    // Unrestricted tokens carry no such fields.
    expect((await me(f.admin.value, ip)).headers.get("RateLimit")).toBeNull();
  });

  it("rotating does not start a fresh minute: the new value shares its lineage's count", async () => {
    const { value } = await createTokenViaApi(f.admin.value, {
      description: "rotating limited",
      permissions: ["tokens:read", "tokens:write"],
      rate_limit_per_minute: 3,
    });
    const ip = elsewhere();
    expect((await me(value, ip)).status).toBe(200);
    const rotated = await callRoute(rotateSelf, { method: "POST", token: value, ip });
    expect(rotated.status).toBe(201);
    const { value: next } = await rotated.json();
    expect((await me(next, ip)).status).toBe(200);
    expect((await me(next, ip)).status).toBe(429);
  });
});

describe("resource servers learn the allowlist", () => {
  it("introspection and exchanged JWTs carry allowed_cidrs; exchange itself is held to the list", async () => {
    const client = await clientCredentials(f.adminActor, await applicationIdOf(f.org.organization.id, "enterprise-rest-api"));
    const { value } = await createToken(f.adminActor, {
      description: "vendor",
      permissions: ["orders:read"],
      allowedCidrs: ["198.51.100.0/24"],
    });
    const answer = await (await introspect(client.authorization, value)).json();
    expect(answer).toMatchObject({ active: true, allowed_cidrs: ["198.51.100.0/24"] });

    const refused = await exchange(value, {}, { ip: elsewhere() });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "access_denied" });
    const exchanged = await exchange(value, {}, { ip: "198.51.100.20" });
    expect(exchanged.status).toBe(200);
    const jwt = (await exchanged.json()).access_token as string;
    const claims = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString());
    expect(claims.allowed_cidrs).toEqual(["198.51.100.0/24"]);
    expect(await (await introspect(client.authorization, jwt)).json()).toMatchObject({ active: true, allowed_cidrs: ["198.51.100.0/24"] });
  });
});

describe("the rate limit across instances", () => {
  const redisUrl = getEnv().redisUrl;

  it.skipIf(!redisUrl)("two instances counting in Redis let exactly the limit through between them", async () => {
    const a = tokenRateLimits(redisUrl);
    const b = tokenRateLimits(redisUrl);
    try {
      const tokenId = crypto.randomUUID();
      const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).consume(tokenId, 20)));
      expect(decisions.filter((decision) => decision.allowed)).toHaveLength(20);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  // Security review, third round (issue 24, finding 5): a token limited to 5 that lowered its own
  // limit 5 → 4 → 3 … found a fresh count under every value and got 15 requests through.
  async function oneCountWhateverTheLimit(url: string | undefined) {
    const limits = tokenRateLimits(url);
    try {
      const key = crypto.randomUUID();
      let allowed = 0;
      for (const limit of [5, 5, 5, 5, 5, 4, 3, 2, 1]) if ((await limits.consume(key, limit)).allowed) allowed += 1;
      expect(allowed).toBe(5);
      // Raising the limit again lets through only what the higher limit leaves of this minute.
      expect(await limits.consume(key, 11)).toMatchObject({ allowed: true, limit: 11, remaining: 1 });
      expect(await limits.consume(key, 11)).toMatchObject({ allowed: true, remaining: 0 });
      expect((await limits.consume(key, 11)).allowed).toBe(false);
    } finally {
      await limits.close();
    }
  }
  it("one count per lineage whatever its limit value, in memory", () => oneCountWhateverTheLimit(undefined));
  it.skipIf(!redisUrl)("one count per lineage whatever its limit value, in Redis", () => oneCountWhateverTheLimit(redisUrl));

  it("without Redis, each instance counts its own requests", async () => {
    const a = tokenRateLimits(undefined);
    const b = tokenRateLimits(undefined);
    const tokenId = crypto.randomUUID();
    const decisions = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).consume(tokenId, 20)));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(40);
  });
});
