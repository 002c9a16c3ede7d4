import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { POST as createToken } from "@/app/api/v1/tokens/route";
import { PATCH as patchToken } from "@/app/api/v1/tokens/[id]/route";
import { POST as rotateToken } from "@/app/api/v1/tokens/[id]/rotate/route";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { callRoute, createApiFixture } from "../../fixtures/api";
import { freshIp } from "../../fixtures/client-addresses";
import { createTokenViaApi } from "../../fixtures/tokens-api";

type Fixture = Awaited<ReturnType<typeof createApiFixture>>;
let f: Fixture;
beforeAll(async () => {
  f = await createApiFixture();
});

describe("failed authentications are rate-limited per client address", () => {
  it("answers 429 with Retry-After after 30 failures a minute, while valid tokens — even from that address — go on", async () => {
    const ip = "203.0.113.77";
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 32; attempt += 1) {
      statuses.push((await callRoute(getMe, { authorization: "Bearer tsr_guess", ip })).status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 401)).toBe(true);
    const blocked = await callRoute(getMe, { authorization: "Bearer tsr_another_guess", ip });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await blocked.json()).code).toBe("rate_limited");
    expect((await callRoute(getMe, { token: f.admin.value, ip })).status).toBe(200);
    expect((await callRoute(getMe, { token: f.admin.value, ip: "203.0.113.78" })).status).toBe(200);
  });
});

describe("a blocked address hides nothing", () => {
  // Security review, third round (issue 24, finding 4): from an address blocked by the failure
  // limit, a rotated-out value got 429 and left no token.reused, mail, webhook or policy action.
  it("a rotated-out value used from a blocked address is still recorded as reused", async () => {
    const ip = freshIp();
    for (let attempt = 0; attempt < 31; attempt += 1) await callRoute(getMe, { authorization: "Bearer tsr_guess", ip });
    const old = await createTokenViaApi(f.admin.value, { description: "rotated away", permissions: ["tokens:read"] });
    const rotated = await callRoute(rotateToken, { method: "POST", token: f.admin.value, params: { id: old.token.id }, body: {} });
    expect(rotated.status).toBe(201);
    expect((await callRoute(getMe, { token: old.value, ip })).status).toBe(429);
    const db = await getDb();
    const reused = await db
      .select({ ip: auditEvents.ip })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, f.org.organization.id),
          eq(auditEvents.action, "token.reused"),
          eq(auditEvents.targetId, old.token.id),
        ),
      );
    expect(reused).toEqual([{ ip }]);
  });
});

describe("property: no input makes the API fail on its side", () => {
  it("any Authorization header answers 200, 401 or 429 — never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string().map((s) => `Bearer ${s}`),
          fc.stringMatching(/^tsr_[0-9A-Za-z]{38}$/).map((s) => `Bearer ${s}`),
          fc.constant(`Bearer ${f.admin.value}`),
          fc.constant(`bearer  ${f.admin.value} extra`),
        ),
        async (authorization) => {
          // Visible ASCII only: Headers rejects other bytes before any handler runs.
          const header = authorization.replace(/[^\x20-\x7e]/g, "");
          const response = await callRoute(getMe, { authorization: header, ip: `10.${Math.floor(Math.random() * 250)}.0.1` });
          expect([200, 401, 429]).toContain(response.status);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("any JSON body to POST /tokens and PATCH /tokens/{id} answers 2xx or 4xx — never 5xx", async () => {
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          description: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
          permissions: fc.oneof(fc.array(fc.constantFrom("orders:read", "tokens:admin", "nope", "")), fc.string()),
          account_sid: fc.oneof(fc.stringMatching(/^[0-9a-fA-F]{30,34}$/), fc.string()),
          expires_at: fc.oneof(
            fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())),
            fc.string(),
            fc.constant(null),
          ),
          active: fc.oneof(fc.boolean(), fc.string()),
          user_id: fc.oneof(fc.uuid(), fc.string()),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (payload, patch) => {
        const response = patch
          ? await callRoute(patchToken, { method: "PATCH", token: f.admin.value, params: { id: f.narrow.token.id }, body: payload })
          : await callRoute(createToken, { method: "POST", token: f.admin.value, body: payload });
        expect(response.status, JSON.stringify(payload)).toBeLessThan(500);
      }),
      { numRuns: 1000 },
    );
  });
});
