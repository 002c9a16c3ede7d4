import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import { POST as createClientSecret } from "@/app/api/v1/applications/[id]/client-secrets/route";
import { POST as reportCredentials } from "@/app/api/v1/credentials/revoke/route";
import { GET as getMe } from "@/app/api/v1/me/route";
import { POST as exchange } from "@/app/api/v1/oauth/token/route";
import { DELETE as revokeRoute, PATCH as patchToken } from "@/app/api/v1/tokens/[id]/route";
import { POST as rotateRoute } from "@/app/api/v1/tokens/[id]/rotate/route";
import { POST as rotateSelf } from "@/app/api/v1/tokens/self/rotate/route";
import { GET as listTokens, POST as createTokenRoute } from "@/app/api/v1/tokens/route";
import { POST as createWebhook } from "@/app/api/v1/webhooks/route";
import { consoleActor } from "@/lib/auth/actor";
import { deleteToken } from "@/lib/tokens/revoke";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";
import { applicationIdOf } from "../../../fixtures/applications";
import { freshIp } from "../../../fixtures/client-addresses";
import { createTokenViaApi, type CreatedViaApi } from "../../../fixtures/tokens-api";

// SPEC §14: a lineage is one credential. A rotated-out value in its grace period acts only as its
// current token does: refused whenever that one would be, with no more than its permissions and
// under its restrictions, and it never creates or changes a token. Security review, third round
// (issue 24, finding 1): the old value ignored everything done to its token after the rotation.

let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

type Lineage = { old: CreatedViaApi; current: CreatedViaApi };

async function rotatedLineage(permissions = ["tokens:read", "tokens:write"], graceSeconds = 3600): Promise<Lineage> {
  const old = await createTokenViaApi(f.admin.value, { description: "lineage", permissions });
  const response = await callRoute(rotateRoute, {
    method: "POST",
    token: f.admin.value,
    params: { id: old.token.id },
    body: { grace_seconds: graceSeconds },
  });
  expect(response.status).toBe(201);
  return { old, current: await response.json() };
}

const me = (token: string, ip = freshIp()) => callRoute(getMe, { token, ip });
const change = (id: string, body: unknown) => callRoute(patchToken, { method: "PATCH", token: f.admin.value, params: { id }, body });

describe("a rotated-out value acts as its lineage's current token", () => {
  it("switching the current token off stops the old value; switching it on brings it back", async () => {
    const { old, current } = await rotatedLineage();
    expect((await me(old.value)).status).toBe(200);
    expect((await change(current.token.id, { active: false })).status).toBe(200);
    expect((await me(old.value)).status).toBe(401);
    expect((await change(current.token.id, { active: true })).status).toBe(200);
    expect((await me(old.value)).status).toBe(200);
  });

  it("revoking or deleting the current token stops the old value", async () => {
    const revoked = await rotatedLineage();
    expect(
      (await callRoute(revokeRoute, { method: "DELETE", token: f.admin.value, params: { id: revoked.current.token.id } })).status,
    ).toBe(200);
    expect((await me(revoked.old.value)).status).toBe(401);

    const deleted = await rotatedLineage();
    await deleteToken(consoleActor(f.org.admin, { ip: "127.0.0.1", userAgent: "vitest" }), deleted.current.token.id);
    expect((await me(deleted.old.value)).status).toBe(401);
  });

  it("reporting the current value leaked stops the old one", async () => {
    const { old, current } = await rotatedLineage();
    const report = await callRoute(reportCredentials, { method: "POST", ip: freshIp(), body: { credentials: [current.value] } });
    expect(report.status).toBe(202);
    expect((await me(old.value)).status).toBe(401);
  });

  it("narrowing the current token narrows the old value: permissions, allowed addresses, one rate limit", async () => {
    const { old, current } = await rotatedLineage();
    const narrowed = await change(current.token.id, {
      permissions: ["tokens:read"],
      allowed_cidrs: ["192.0.2.0/24"],
      rate_limit_per_minute: 2,
    });
    expect(narrowed.status).toBe(200);
    const outside = await me(old.value, "127.0.0.1");
    expect(outside.status).toBe(403);
    expect(await outside.json()).toMatchObject({ code: "ip_not_allowed" });
    const inside = await me(old.value, "192.0.2.7");
    expect(inside.status).toBe(200);
    expect((await inside.json()).token.permissions).toEqual(["tokens:read"]);
    // One budget for the lineage: the current value's request and the old one's make two.
    expect((await me(current.value, "192.0.2.7")).status).toBe(200);
    expect((await me(old.value, "192.0.2.8")).status).toBe(429);
  });

  it("a current token's valid-from ahead stops the old value too", async () => {
    const { old, current } = await rotatedLineage();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect((await change(current.token.id, { valid_from: later })).status).toBe(200);
    expect((await me(old.value)).status).toBe(401);
  });

  it("an exchanged JWT of the old value expires with its grace", async () => {
    const { old } = await rotatedLineage(["tokens:read", "tokens:write", "tokens:introspect"], 90);
    const form = new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: old.value,
      subject_token_type: "urn:ietf:params:oauth:token-type:access_token",
    });
    const response = await exchange(
      new Request("http://127.0.0.1/api/v1/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-tessera-peer-address": freshIp() },
        body: form,
      }),
    );
    expect(response.status).toBe(200);
    expect((await response.json()).expires_in).toBeLessThanOrEqual(90);
  });
});

describe("a rotated-out value calls APIs but never creates or changes a token", () => {
  it("POST /api/v1/tokens, rotate, PATCH, DELETE, client secrets and webhook endpoints refuse it with 403; reads work", async () => {
    const everything = ["tokens:read", "tokens:write", "tokens:admin", "applications:read", "applications:write"] as string[];
    const { old, current } = await rotatedLineage(everything);
    const as = { token: old.value, ip: freshIp() };
    const refused = [
      await callRoute(createTokenRoute, { ...as, method: "POST", body: { description: "escape", permissions: ["tokens:read"] } }),
      await callRoute(rotateSelf, { ...as, method: "POST", body: {} }),
      await callRoute(rotateRoute, { ...as, method: "POST", params: { id: current.token.id }, body: {} }),
      await callRoute(patchToken, { ...as, method: "PATCH", params: { id: current.token.id }, body: { description: "mine now" } }),
      await callRoute(revokeRoute, { ...as, method: "DELETE", params: { id: f.rep.token.id } }),
      // An attacker review found a webhook endpoint it planted outlived its grace (issue 24).
      await callRoute(createWebhook, {
        ...as,
        method: "POST",
        body: { url: "https://attacker.example.com/hook", events: ["token.revoked"] },
      }),
      await callRoute(createClientSecret, {
        ...as,
        method: "POST",
        params: { id: await applicationIdOf(f.org.organization.id, "enterprise-rest-api") },
      }),
    ];
    for (const response of refused) {
      expect(response.status).toBe(403);
      expect((await response.json()).detail).toContain("previous value");
    }
    expect((await callRoute(listTokens, as)).status).toBe(200);
    // The current value does all of it.
    expect(
      (
        await callRoute(createTokenRoute, {
          token: current.value,
          method: "POST",
          body: { description: "fine", permissions: ["tokens:read"] },
        })
      ).status,
    ).toBe(201);
  });
});

// The property: whatever is done to the current token, the old value never authorizes a request
// the current one refuses.
type Step =
  | { kind: "active"; active: boolean }
  | { kind: "permissions"; permissions: string[] }
  | { kind: "allowlist"; cidrs: string[] | null }
  | { kind: "validFrom"; ahead: boolean }
  | { kind: "revoke" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.boolean().map((active) => ({ kind: "active", active }) as const),
  fc.subarray(["tokens:read", "tokens:write"], { minLength: 1 }).map((permissions) => ({ kind: "permissions", permissions }) as const),
  fc.constantFrom<string[] | null>(null, ["192.0.2.0/24"], ["198.18.0.0/15"]).map((cidrs) => ({ kind: "allowlist", cidrs }) as const),
  fc.boolean().map((ahead) => ({ kind: "validFrom", ahead }) as const),
  fc.constant({ kind: "revoke" } as const),
);

async function apply(current: CreatedViaApi, next: Step): Promise<void> {
  const id = current.token.id;
  if (next.kind === "revoke") {
    await callRoute(revokeRoute, { method: "DELETE", token: f.admin.value, params: { id } });
    return;
  }
  const body =
    next.kind === "active"
      ? { active: next.active }
      : next.kind === "permissions"
        ? { permissions: next.permissions }
        : next.kind === "allowlist"
          ? { allowed_cidrs: next.cidrs }
          : { valid_from: next.ahead ? new Date(Date.now() + 3_600_000).toISOString() : null };
  await change(id, body);
}

describe("property: the old value is never stronger than its token", () => {
  it("for any sequence of changes to the current token, a request the current value is refused is refused to the old one", async () => {
    let comparisons = 0;
    let refusedToBoth = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        const { old, current } = await rotatedLineage();
        for (const next of steps) {
          await apply(current, next);
          for (const ip of [freshIp(), "192.0.2.9"]) {
            for (const request of [
              (token: string) => callRoute(getMe, { token, ip }),
              (token: string) => callRoute(listTokens, { token, ip }),
            ]) {
              const currentStatus = (await request(current.value)).status;
              const oldStatus = (await request(old.value)).status;
              comparisons += 1;
              if (currentStatus !== 200) {
                refusedToBoth += 1;
                expect(oldStatus).not.toBe(200);
              }
            }
          }
        }
      }),
      { numRuns: 12, seed: 2_026_1207 },
    );
    // Both outcomes occurred, or the property held vacuously.
    expect(refusedToBoth).toBeGreaterThan(0);
    expect(refusedToBoth).toBeLessThan(comparisons);
  });
});
