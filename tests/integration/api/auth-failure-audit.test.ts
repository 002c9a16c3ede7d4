import { and, eq, isNull } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as getMe } from "@/app/api/v1/me/route";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { generateToken } from "@/lib/tokens/format";
import { callRoute, createApiFixture } from "../../fixtures/api";
import { exchange } from "../../fixtures/oauth";

type Fixture = Awaited<ReturnType<typeof createApiFixture>>;
let f: Fixture;
beforeAll(async () => {
  f = await createApiFixture();
});
afterEach(() => {
  vi.useRealTimers();
});

// 12 seconds into the coming minute, so a test's requests all fall inside one minute.
function startOfAMinute(): number {
  const minute = Math.ceil(Date.now() / 60_000) * 60_000;
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(minute + 12_000);
  return minute;
}

async function failedAuthEvents(where: ReturnType<typeof and>) {
  const db = await getDb();
  return (
    db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "auth.failed"), where))
      // Requests under a frozen clock share one timestamp; the address breaks the tie.
      .orderBy(auditEvents.occurredAt, auditEvents.ip)
  );
}

const tokenEvents = (tokenId: string) => failedAuthEvents(and(eq(auditEvents.targetType, "token"), eq(auditEvents.targetId, tokenId)));

describe("auth.failed is aggregated: one event per token, address and reason (or per address for unknown values) per minute, with a count", () => {
  it("100 uses of one revoked token from one address in a minute write one event with count 100, blocked or not; the next minute starts a new one", async () => {
    const minute = startOfAMinute();
    const ip = "198.51.10.1";
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () => callRoute(getMe, { token: f.revoked.value, ip }).then((r) => r.status)),
    );
    // The address is blocked after 30 failures; the uses after that are still counted.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 401 || status === 429)).toBe(true);
    const events = await tokenEvents(f.revoked.token.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ organizationId: f.org.organization.id, actorTokenId: f.revoked.token.id, ip });
    expect(events[0]?.details).toEqual({ reason: "revoked", count: 100 });

    vi.setSystemTime(minute + 60_000 + 1_000);
    for (let i = 0; i < 3; i += 1) expect((await callRoute(getMe, { token: f.revoked.value, ip: "198.51.11.1" })).status).toBe(401);
    const later = await tokenEvents(f.revoked.token.id);
    expect(later.map((event) => [event.ip, event.details])).toEqual([
      [ip, { reason: "revoked", count: 100 }],
      ["198.51.11.1", { reason: "revoked", count: 3 }],
    ]);
  });

  it("every address that used a failing token shows, however many failures came first", async () => {
    startOfAMinute();
    expect((await callRoute(getMe, { token: f.inactive.value, ip: "198.51.14.1", userAgent: "legit-job" })).status).toBe(401);
    for (let i = 0; i < 3; i += 1) {
      expect((await callRoute(getMe, { token: f.inactive.value, ip: "198.51.14.2", userAgent: "attacker/1.0" })).status).toBe(401);
    }
    const events = await tokenEvents(f.inactive.token.id);
    expect(events.map((event) => [event.ip, event.userAgent, event.details])).toEqual([
      ["198.51.14.1", "legit-job", { reason: "inactive", count: 1 }],
      ["198.51.14.2", "attacker/1.0", { reason: "inactive", count: 3 }],
    ]);
  });

  it("an address that blocked itself first still leaves a trace for every token it tries", async () => {
    startOfAMinute();
    const ip = "198.51.15.1";
    for (let i = 0; i < 31; i += 1) await callRoute(getMe, { ip });
    expect((await callRoute(getMe, { ip })).status).toBe(429);
    expect((await callRoute(getMe, { token: f.ownerInactive.value, ip })).status).toBe(429);
    const events = await tokenEvents(f.ownerInactive.token.id);
    expect(events.map((event) => [event.ip, (event.details as { count: number }).count])).toEqual([[ip, 1]]);
    // A valid token still passes from the blocked address.
    expect((await callRoute(getMe, { token: f.narrow.value, ip })).status).toBe(200);
  });

  it("a well-formed value that matches no token is aggregated per client address", async () => {
    startOfAMinute();
    const ip = "198.51.12.1";
    for (let i = 0; i < 7; i += 1) expect((await callRoute(getMe, { token: generateToken(), ip })).status).toBe(401);
    const events = await failedAuthEvents(and(isNull(auditEvents.organizationId), eq(auditEvents.ip, ip)));
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toEqual({ reason: "unknown", count: 7 });
  });

  it("failed token exchanges count into the same event as failed API calls", async () => {
    startOfAMinute();
    expect((await callRoute(getMe, { token: f.expired.value, ip: "198.51.13.1" })).status).toBe(401);
    expect((await exchange(f.expired.value, {}, { ip: "198.51.13.1" })).status).toBe(400);
    expect((await exchange(f.expired.value, {}, { ip: "198.51.13.1" })).status).toBe(400);
    const events = await tokenEvents(f.expired.token.id);
    expect(events.map((event) => event.details)).toEqual([{ reason: "expired", count: 3 }]);
  });
});
