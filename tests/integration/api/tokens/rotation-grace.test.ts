// @module-tag database
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { GET as getTokenRoute } from "@/app/api/v1/tokens/[id]/route";
import { POST as rotateToken } from "@/app/api/v1/tokens/[id]/rotate/route";
import { POST as rotateSelf } from "@/app/api/v1/tokens/self/rotate/route";
import { GET as getUsage } from "@/app/api/v1/tokens/[id]/usage/route";
import { getDb } from "@/db";
import { auditEvents, notifications, personalAccessTokens, tokenClientAddresses, tokenUsageHourly } from "@/db/schema";
import { POST as bulkRevoke } from "@/app/api/v1/tokens/revoke/route";
import { updateTokenPolicy } from "@/lib/organizations/update-policy";
import { getTokenDetail } from "@/lib/tokens/detail";
import { setTokenActive } from "@/lib/tokens/update";
import { flushTokenUses } from "@/lib/tokens/last-used";
import { revokeToken } from "@/lib/tokens/revoke";
import { verifyToken } from "@/lib/tokens/verify";
import { actorFor } from "../../../fixtures/actors";
import { callRoute, createApiFixture, type ApiFixture } from "../../../fixtures/api";
import { introspect } from "../../../fixtures/oauth";
import { DEFAULT_POLICY } from "../../../fixtures/organizations";
import { domainErrorOf, setPolicy, tokenRow } from "../../../fixtures/tokens";
import { createTokenViaApi } from "../../../fixtures/tokens-api";

/**
 * GET /api/v1/me from an address of its own: refused calls count against their address's limit
 * of failed authentications, which test files running in parallel on PostgreSQL share.
 */
let calls = 0;
const me = (token: string) => callRoute(getMe, { token, ip: `198.18.1.${(calls++ % 250) + 1}` });

// SPEC §11: rotation keeps the old value working for a grace period, and a rotated-out value
// used after it is refused, recorded as token.reused once, and told to the owner and admins.

let f: ApiFixture;
beforeEach(async () => {
  f = await createApiFixture();
});

const HOUR = 3600;
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

async function created(description = "rotating") {
  return createTokenViaApi(f.admin.value, { description, permissions: ["tokens:read", "tokens:write"] });
}

async function rotate(id: string, body?: unknown) {
  return callRoute(rotateToken, { method: "POST", token: f.admin.value, params: { id }, body });
}

async function reuseEvents(tokenId: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(
      and(eq(auditEvents.organizationId, f.org.organization.id), eq(auditEvents.action, "token.reused"), eq(auditEvents.targetId, tokenId)),
    );
}

describe("rotation with a grace period", () => {
  it("grace_seconds: both values work during the grace, the old one shows until when; after it the old one is refused as reuse", async () => {
    const old = await created();
    const response = await rotate(old.token.id, { grace_seconds: HOUR });
    expect(response.status).toBe(201);
    const rotated = await response.json();
    const usableUntil = new Date(rotated.previous.usable_until);
    expect(rotated.previous.id).toBe(old.token.id);
    expect(Math.abs(usableUntil.getTime() - later(HOUR).getTime())).toBeLessThan(5000);
    expect((await me(old.value)).status).toBe(200);
    expect((await me(rotated.value)).status).toBe(200);
    // Both listed with their own state; the old one is revoked but still usable until then.
    const oldView = await (await callRoute(getTokenRoute, { token: f.admin.value, params: { id: old.token.id } })).json();
    expect(oldView).toMatchObject({ state: "revoked", usable_until: rotated.previous.usable_until });
    expect(rotated.token).toMatchObject({ state: "active", usable_until: null, account_sid: old.token.account_sid });

    expect(await verifyToken(old.value, new Date(usableUntil.getTime() - 1000))).toMatchObject({ ok: true });
    expect(await verifyToken(old.value, new Date(usableUntil.getTime() + 1))).toMatchObject({ ok: false, reason: "reused" });
    expect(await verifyToken(rotated.value, new Date(usableUntil.getTime() + 1))).toMatchObject({ ok: true });
  });

  it("no grace: the old value stops at once, and using it is reuse: refused, recorded once, told to the owner and the admins", async () => {
    const old = await createTokenViaApi(f.rep.value, { description: "rep's", permissions: ["tokens:read"] });
    const rotated = await (await rotate(old.token.id)).json();
    expect(rotated.previous.usable_until).toBeNull();
    for (const ip of ["198.51.100.7", "198.51.100.8"]) {
      expect((await callRoute(getMe, { token: old.value, ip })).status).toBe(401);
    }
    const events = await reuseEvents(old.token.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ ip: "198.51.100.7", targetUserId: f.org.repOne.id });
    const db = await getDb();
    const mails = await db
      .select({ recipientUserId: notifications.recipientUserId, body: notifications.body })
      .from(notifications)
      .where(and(eq(notifications.organizationId, f.org.organization.id), eq(notifications.kind, "token.reused")));
    expect(mails.map((mail) => mail.recipientUserId).sort()).toEqual([f.org.admin.id, f.org.repOne.id].sort());
    expect(mails[0]?.body).toContain("198.51.100.7");
    expect(mails[0]?.body).not.toContain(old.value);
    // The current value is untouched unless the policy says otherwise.
    expect((await me(rotated.value)).status).toBe(200);
  });

  it("the policy may deactivate the successor when an old value is reused", async () => {
    await setPolicy(f.org.organization.id, { deactivateSuccessorOnReuse: true });
    const old = await created();
    const rotated = await (await rotate(old.token.id)).json();
    expect((await me(old.value)).status).toBe(401);
    expect((await me(rotated.value)).status).toBe(401);
    expect(await tokenRow(rotated.token.id)).toMatchObject({ active: false, revokedAt: null });
    expect((await reuseEvents(old.token.id))[0]?.details).toMatchObject({ deactivatedSuccessorIds: [rotated.token.id] });
  });

  it("retire_old_after_first_use_seconds: the old value works until that long after the new one's first use", async () => {
    const old = await created();
    const rotated = await (await rotate(old.token.id, { retire_old_after_first_use_seconds: 60 })).json();
    // Until the new value is used, the old one works up to the policy's maximum (7 days by default).
    expect(new Date(rotated.previous.usable_until).getTime()).toBeGreaterThan(later(6 * 24 * HOUR).getTime());
    expect((await me(old.value)).status).toBe(200);
    const firstUse = new Date();
    expect((await me(rotated.value)).status).toBe(200);
    await flushTokenUses();
    const retiring = await tokenRow(old.token.id);
    expect(retiring?.graceUntil?.getTime()).toBeGreaterThanOrEqual(firstUse.getTime() + 59_000);
    expect(retiring?.graceUntil?.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await verifyToken(old.value, later(30))).toMatchObject({ ok: true });
    expect(await verifyToken(old.value, later(61))).toMatchObject({ ok: false, reason: "reused" });
  });

  it("revoking the old value during its grace ends the grace now", async () => {
    const old = await created();
    await rotate(old.token.id, { grace_seconds: HOUR });
    await revokeToken(actorFor(f.org.admin), old.token.id);
    expect((await me(old.value)).status).toBe(401);
    expect(await tokenRow(old.token.id)).toMatchObject({ revokeReason: "Regenerated" });
  });

  it("self-rotation with a grace: the job keeps working with its old value until it has switched", async () => {
    const old = await created();
    const response = await callRoute(rotateSelf, { method: "POST", token: old.value, body: { grace_seconds: 600 } });
    expect(response.status).toBe(201);
    const rotated = await response.json();
    expect((await me(old.value)).status).toBe(200);
    expect((await me(rotated.value)).status).toBe(200);
  });
});

describe("rotation — bad input changes nothing", () => {
  it("a grace longer than the policy allows, both kinds at once, or a grace on an expired or revoked token is refused", async () => {
    await setPolicy(f.org.organization.id, { maxGraceDays: 1 });
    const token = await created();
    const tooLong = await rotate(token.token.id, { grace_seconds: 2 * 24 * HOUR });
    expect(tooLong.status).toBe(422);
    expect((await tooLong.json()).errors.grace).toEqual(["Your organization allows the old value to keep working for at most 1 days."]);
    expect((await rotate(token.token.id, { grace_seconds: 60, retire_old_after_first_use_seconds: 60 })).status).toBe(422);
    expect((await rotate(token.token.id, { grace_seconds: 0 })).status).toBe(422);
    expect((await rotate(token.token.id, { grace_seconds: "soon" })).status).toBe(422);
    expect(await tokenRow(token.token.id)).toMatchObject({ revokedAt: null, rotatedAt: null });

    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(personalAccessTokens.id, token.token.id));
    const expired = await rotate(token.token.id, { grace_seconds: 60 });
    expect(expired.status).toBe(422);
    expect((await expired.json()).errors.grace?.[0]).toMatch(/expired/);
    expect((await rotate(f.revoked.token.id, { grace_seconds: 60 })).status).toBe(409);
  });

  it("a token whose previous value is still in its grace cannot be rotated again", async () => {
    const old = await created();
    const rotated = await (await rotate(old.token.id, { grace_seconds: HOUR })).json();
    const again = await rotate(rotated.token.id, { grace_seconds: 60 });
    expect(again.status).toBe(409);
    expect((await again.json()).detail).toMatch(/previous value still works until/);
    // The old value itself is revoked: rotating it is a conflict too.
    expect((await rotate(old.token.id)).status).toBe(409);
    expect(await tokenRow(rotated.token.id)).toMatchObject({ revokedAt: null });
  });
});

describe("usage is recorded off the request path", () => {
  it("requests and failures per hour, and each client address with first and last use, after a flush", async () => {
    const token = await created("used");
    for (const ip of ["203.0.113.1", "203.0.113.1", "203.0.113.2"]) {
      expect((await callRoute(getMe, { token: token.value, ip, userAgent: `agent ${ip}` })).status).toBe(200);
    }
    await flushTokenUses();
    const db = await getDb();
    const hours = await db.select().from(tokenUsageHourly).where(eq(tokenUsageHourly.tokenId, token.token.id));
    expect(hours).toHaveLength(1);
    expect(hours[0]).toMatchObject({ requests: 3, failures: 0, organizationId: f.org.organization.id });
    const addresses = await db.select().from(tokenClientAddresses).where(eq(tokenClientAddresses.tokenId, token.token.id));
    expect(addresses.map((a) => [a.ip, a.requests, a.userAgent]).sort()).toEqual([
      ["203.0.113.1", 2, "agent 203.0.113.1"],
      ["203.0.113.2", 1, "agent 203.0.113.2"],
    ]);
    await revokeToken(actorFor(f.org.admin), token.token.id);
    expect((await me(token.value)).status).toBe(401);
    await flushTokenUses();
    const [after] = await db.select().from(tokenUsageHourly).where(eq(tokenUsageHourly.tokenId, token.token.id));
    expect(after).toMatchObject({ requests: 3, failures: 1 });
  });
});

describe("GET /api/v1/tokens/{id}/usage", () => {
  it("30 days of requests and failures, the client addresses and the last failures; another rep's token is 404", async () => {
    const token = await created("usage");
    await callRoute(getMe, { token: token.value, ip: "203.0.113.5", userAgent: "partner/1.0" });
    await callRoute(getMe, { token: token.value, ip: "203.0.113.5", userAgent: "partner/1.0" });
    await revokeToken(actorFor(f.org.admin), token.token.id);
    await callRoute(getMe, { token: token.value, ip: "203.0.113.6" });
    await flushTokenUses();
    const response = await callRoute(getUsage, { token: f.admin.value, params: { id: token.token.id } });
    expect(response.status).toBe(200);
    const usage = await response.json();
    expect(usage.days).toHaveLength(30);
    expect(usage.days.at(-1)).toEqual({ day: new Date().toISOString().slice(0, 10), requests: 2, failures: 1 });
    expect(usage.client_addresses).toEqual([expect.objectContaining({ ip: "203.0.113.5", user_agent: "partner/1.0", requests: 2 })]);
    expect(usage.failures).toEqual([expect.objectContaining({ reason: "revoked", ip: "203.0.113.6", count: 1 })]);
    // A rep's token reads only the rep's own tokens' usage.
    expect((await callRoute(getUsage, { token: f.rep.value, params: { id: token.token.id } })).status).toBe(404);
    expect((await callRoute(getUsage, { token: f.admin.value, params: { id: "not-a-uuid" } })).status).toBe(404);
  });
});

describe("the token page's data", () => {
  it("the rotation history lists the lineage oldest first, from any of its values; another rep's token is not found", async () => {
    const first = await created("lineage");
    const second = await (await rotate(first.token.id, { grace_seconds: 60 })).json();
    await revokeToken(actorFor(f.org.admin), first.token.id);
    const third = await (await rotate(second.token.id)).json();
    for (const id of [first.token.id, second.token.id, third.token.id]) {
      const detail = await getTokenDetail(actorFor(f.org.admin), id);
      expect(detail.history.map((step) => step.id)).toEqual([first.token.id, second.token.id, third.token.id]);
      expect(detail.history.find((step) => step.current)?.id).toBe(id);
    }
    const [firstStep, , lastStep] = (await getTokenDetail(actorFor(f.org.admin), third.token.id)).history;
    expect(firstStep?.rotatedAt).not.toBeNull();
    expect(lastStep).toMatchObject({ rotatedAt: null, stoppedAt: null });
    expect((await domainErrorOf(getTokenDetail(actorFor(f.org.repOne), third.token.id))).code).toBe("not_found");
    const other = await createApiFixture();
    expect((await domainErrorOf(getTokenDetail(actorFor(other.org.admin), third.token.id))).code).toBe("not_found");
  });

  it("permissions come with their application's descriptions", async () => {
    const token = await created("described");
    const detail = await getTokenDetail(actorFor(f.org.admin), token.token.id);
    expect(detail.permissions.map((permission) => permission.id)).toEqual(["tokens:read", "tokens:write"]);
    expect(detail.permissions.every((permission) => permission.description.length > 0 && permission.effective)).toBe(true);
  });
});

describe("rotation — what an attacker review found", () => {
  it("revoking every token of a user (and revoking the current value) ends old values still in their grace", async () => {
    const old = await created("graced");
    const rotated = await (await rotate(old.token.id, { grace_seconds: HOUR })).json();
    const bulk = await callRoute(bulkRevoke, { method: "POST", token: f.admin.value, body: { user_id: f.org.admin.id } });
    expect(bulk.status).toBe(200);
    expect((await bulk.json()).revoked).toContain(old.token.id);
    expect((await me(old.value)).status).toBe(401);
    expect((await me(rotated.value)).status).toBe(401);

    const g = await createApiFixture();
    const first = await createTokenViaApi(g.admin.value, { description: "current", permissions: ["tokens:read"] });
    const second = await (
      await callRoute(rotateToken, { method: "POST", token: g.admin.value, params: { id: first.token.id }, body: { grace_seconds: HOUR } })
    ).json();
    await revokeToken(actorFor(g.org.admin), second.token.id);
    expect((await me(first.value)).status).toBe(401);
  });

  it("introspection is a use: it records usage and starts the countdown of a rotation until after first use; a reused value it is handed is reported", async () => {
    const old = await created("introspected");
    const rotated = await (await rotate(old.token.id, { retire_old_after_first_use_seconds: 60 })).json();
    expect((await (await introspect(f.admin.value, rotated.value)).json()).active).toBe(true);
    await flushTokenUses();
    expect(await tokenRow(rotated.token.id)).toMatchObject({ firstUsedAt: expect.any(Date) });
    expect((await tokenRow(old.token.id))?.graceUntil?.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);

    const gone = await created("gone");
    await rotate(gone.token.id);
    expect(await introspect(f.admin.value, gone.value).then((r) => r.json())).toEqual({ active: false });
    expect(await reuseEvents(gone.token.id)).toHaveLength(1);
  });

  it("a value rotated out more than 30 days ago is merely revoked: no alarm, no successor switched off", async () => {
    await setPolicy(f.org.organization.id, { deactivateSuccessorOnReuse: true });
    const old = await created("ancient");
    const rotated = await (await rotate(old.token.id)).json();
    const db = await getDb();
    const longAgo = new Date(Date.now() - 31 * 24 * HOUR * 1000);
    await db.update(personalAccessTokens).set({ rotatedAt: longAgo, graceUntil: longAgo }).where(eq(personalAccessTokens.id, old.token.id));
    expect(await verifyToken(old.value)).toMatchObject({ ok: false, reason: "revoked" });
    expect((await me(old.value)).status).toBe(401);
    expect(await reuseEvents(old.token.id)).toHaveLength(0);
    expect((await me(rotated.value)).status).toBe(200);
  });

  it("an old value switches its successor off once, not every hour; many old values of one owner are one mail, not a flood", async () => {
    await setPolicy(f.org.organization.id, { deactivateSuccessorOnReuse: true });
    const old = await created("leaked");
    const rotated = await (await rotate(old.token.id)).json();
    expect((await me(old.value)).status).toBe(401);
    await setTokenActive(actorFor(f.org.admin), rotated.token.id, true);
    const db = await getDb();
    // An hour later, the same old value again: an alarm, but the reactivated successor stays on.
    await db
      .update(personalAccessTokens)
      .set({ reusedAt: new Date(Date.now() - 2 * HOUR * 1000) })
      .where(eq(personalAccessTokens.id, old.token.id));
    expect((await me(old.value)).status).toBe(401);
    expect(await reuseEvents(old.token.id)).toHaveLength(2);
    expect((await me(rotated.value)).status).toBe(200);

    await setPolicy(f.org.organization.id, { deactivateSuccessorOnReuse: false });
    const values: string[] = [];
    let current = await createTokenViaApi(f.rep.value, { description: "churn", permissions: ["tokens:read", "tokens:write"] });
    for (let i = 0; i < 4; i += 1) {
      values.push(current.value);
      const next = await (await callRoute(rotateSelf, { method: "POST", token: current.value })).json();
      current = { token: next.token, value: next.value };
    }
    for (const value of values) expect((await callRoute(getMe, { token: value, ip: "198.51.100.99" })).status).toBe(401);
    const mails = await db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.organizationId, f.org.organization.id),
          eq(notifications.kind, "token.reused"),
          eq(notifications.recipientUserId, f.org.repOne.id),
        ),
      );
    expect(mails).toHaveLength(1);
  });

  it("lowering the policy's maximum grace shortens the graces already running", async () => {
    const old = await created("shortened");
    await rotate(old.token.id, { grace_seconds: 6 * 24 * HOUR });
    await updateTokenPolicy(actorFor(f.org.admin), { ...DEFAULT_POLICY, maxGraceDays: 0 });
    expect((await me(old.value)).status).toBe(401);
  });
});
