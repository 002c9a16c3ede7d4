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
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, "auth.failed"), where))
    .orderBy(auditEvents.occurredAt);
}

const tokenEvents = (tokenId: string) => failedAuthEvents(and(eq(auditEvents.targetType, "token"), eq(auditEvents.targetId, tokenId)));

// Five addresses, 20 uses each: below the per-address limit of failed authentications.
const fleet = (uses: number, octet: number) => Array.from({ length: uses }, (_, i) => `198.51.${octet}.${(i % 5) + 1}`);

describe("auth.failed is aggregated: one event per token (or per address for unknown values) per minute, with a count", () => {
  it("100 uses of one revoked token in a minute write one auth.failed event with count 100; the next minute starts a new one", async () => {
    const minute = startOfAMinute();
    const statuses = await Promise.all(fleet(100, 10).map((ip) => callRoute(getMe, { token: f.revoked.value, ip }).then((r) => r.status)));
    expect(statuses).toEqual(Array(100).fill(401));
    const events = await tokenEvents(f.revoked.token.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ organizationId: f.org.organization.id, actorTokenId: f.revoked.token.id });
    expect(events[0]?.details).toEqual({ reason: "revoked", count: 100 });

    vi.setSystemTime(minute + 60_000 + 1_000);
    for (const ip of fleet(3, 11)) expect((await callRoute(getMe, { token: f.revoked.value, ip })).status).toBe(401);
    const later = await tokenEvents(f.revoked.token.id);
    expect(later.map((event) => event.details)).toEqual([
      { reason: "revoked", count: 100 },
      { reason: "revoked", count: 3 },
    ]);
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
    expect((await exchange(f.expired.value, {}, { ip: "198.51.13.2" })).status).toBe(400);
    expect((await exchange(f.expired.value, {}, { ip: "198.51.13.3" })).status).toBe(400);
    const events = await tokenEvents(f.expired.token.id);
    expect(events.map((event) => event.details)).toEqual([{ reason: "expired", count: 3 }]);
  });
});
