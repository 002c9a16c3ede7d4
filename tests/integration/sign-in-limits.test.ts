import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { verifyCredentials } from "@/lib/sign-in";
import { createTestOrganization, TEST_PASSWORD } from "../fixtures/organizations";

const from = (ip: string) => ({ ip, userAgent: "vitest" });

/** How many sign-ins of this user were refused for each reason. */
async function refusals(userId: string) {
  const db = await getDb();
  const events = await db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetUserId, userId), eq(auditEvents.action, "sign_in.failed")));
  const count = (reason: string) => events.filter((event) => event.details.reason === reason).length;
  return { invalidCredentials: count("invalid_credentials"), rateLimited: count("rate_limited") };
}

// The limiter's windows follow Date.now(); only Date is faked, so the database and argon2 run as usual.
function useClock() {
  vi.useFakeTimers({ toFake: ["Date"] });
  return { advanceSeconds: (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("password limits", () => {
  it("40 parallel wrong passwords for one e-mail from one address check at most 5", async () => {
    const { repOne } = await createTestOrganization();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, attempt) => verifyCredentials({ email: repOne.email, password: `guess-${attempt}` }, from("10.1.0.1"))),
    );
    expect(results.filter((result) => result.ok)).toHaveLength(0);
    const audited = await refusals(repOne.id);
    expect(audited.invalidCredentials).toBeLessThanOrEqual(5);
    expect(audited.invalidCredentials + audited.rateLimited).toBe(40);
    // The first test of the file also opens and migrates the database.
  }, 90_000);

  it("the real person signs in from the same address once the minute is over", async () => {
    const clock = useClock();
    const { repOne } = await createTestOrganization();
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await verifyCredentials({ email: repOne.email, password: `guess-${attempt}` }, from("10.1.0.2"));
    }
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.1.0.2"))).toMatchObject({ reason: "rate_limited" });
    clock.advanceSeconds(61);
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.1.0.2"))).toMatchObject({ ok: true });
  });

  it("guessing one account from many addresses is limited per account, and the real person gets in after the backoff", async () => {
    const clock = useClock();
    const { repOne, repTwo } = await createTestOrganization();
    const outcomes: string[] = [];
    for (let address = 1; address <= 30; address += 1) {
      const result = await verifyCredentials({ email: repOne.email, password: `guess-${address}` }, from(`10.2.0.${address}`));
      outcomes.push(result.ok ? "ok" : result.reason);
    }
    // Three addresses' worth (15) are checked; the rest are refused unchecked.
    expect(outcomes.filter((outcome) => outcome === "invalid_credentials")).toHaveLength(15);
    expect(outcomes.slice(15)).toEqual(Array(15).fill("rate_limited"));
    expect(await refusals(repOne.id)).toEqual({ invalidCredentials: 15, rateLimited: 15 });

    // The real person, from an address of their own: not yet.
    const blocked = await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.3.0.1"));
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    if (blocked.ok || blocked.reason !== "rate_limited") throw new Error("expected a rate limit");
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(300);
    // Another account is not affected.
    expect(await verifyCredentials({ email: repTwo.email, password: TEST_PASSWORD }, from("10.2.0.1"))).toMatchObject({ ok: true });

    clock.advanceSeconds(blocked.retryAfterSeconds + 1);
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.3.0.1"))).toMatchObject({ ok: true });
  });

  it("a successful sign-in gives its point back: the real person's own attempts never lock them out", async () => {
    const { repOne } = await createTestOrganization();
    for (let round = 0; round < 8; round += 1) {
      expect(await verifyCredentials({ email: repOne.email, password: "a typo in it" }, from("10.4.0.1"))).toMatchObject({ reason: "invalid_credentials" });
      expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.4.0.1"))).toMatchObject({ ok: true });
    }
  });

  it("unknown e-mails are limited like known ones, so the limit does not tell them apart", async () => {
    const email = `nobody-${Date.now()}@example.test`;
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 7; attempt += 1) {
      const result = await verifyCredentials({ email, password: `guess-${attempt}` }, from("10.5.0.1"));
      outcomes.push(result.ok ? "ok" : result.reason);
    }
    expect(outcomes).toEqual([...Array(5).fill("invalid_credentials"), "rate_limited", "rate_limited"]);
  });
});
