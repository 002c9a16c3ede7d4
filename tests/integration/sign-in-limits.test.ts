// @module-tag database
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { confirmPassword } from "@/lib/auth/password-confirmation";
import { createBoundedGate } from "@/lib/shared/bounded-gate";
import { verifyCredentials, type SignInResult } from "@/lib/auth/sign-in";
import { deviceCookieValue } from "@/lib/auth/sign-in-device";
import { createTestOrganization, TEST_PASSWORD } from "../fixtures/organizations";
import { processSingleton } from "@/lib/shared/process-singleton";

// The password prompt sets its sudo cookie through next/headers, which needs a request scope.
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: () => undefined }),
  headers: async () => new Headers(),
}));

const from = (ip: string) => ({ ip, userAgent: "vitest" });

/** How many refusals for this reason the events record (unchecked ones are counted per minute). */
function refusalCount(events: { details: Record<string, unknown> }[], reason: string): number {
  return events.filter((event) => event.details.reason === reason).reduce((sum, event) => sum + Number(event.details.count ?? 1), 0);
}

/** How many sign-ins of this user were refused for each reason. */
async function refusals(userId: string) {
  const db = await getDb();
  const events = await db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetUserId, userId), eq(auditEvents.action, "sign_in.failed")));
  const count = (reason: string) => refusalCount(events, reason);
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

/** The device cookie a successful sign-in hands out. */
function deviceCookieOf(result: SignInResult): string {
  if (!result.ok) throw new Error(`expected a sign-in, got ${result.reason}`);
  return result.deviceCookie;
}

/** How many sign-ins from this address were refused for each reason. */
async function refusalsFrom(ip: string) {
  const db = await getDb();
  const events = await db
    .select({ details: auditEvents.details })
    .from(auditEvents)
    .where(and(eq(auditEvents.ip, ip), eq(auditEvents.action, "sign_in.failed")));
  return (reason: string) => refusalCount(events, reason);
}

describe("password limits", () => {
  it("40 parallel wrong passwords for one e-mail from one address check at most 5", async () => {
    const { repOne } = await createTestOrganization();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, attempt) =>
        verifyCredentials({ email: repOne.email, password: `guess-${attempt}` }, from("10.1.0.1")),
      ),
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
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.1.0.2"))).toMatchObject({
      reason: "rate_limited",
    });
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
      expect(await verifyCredentials({ email: repOne.email, password: "a typo in it" }, from("10.4.0.1"))).toMatchObject({
        reason: "invalid_credentials",
      });
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

  it("strangers guessing an account cannot lock out its owner: a browser that signed in before gets in at once", async () => {
    const clock = useClock();
    const { organization, repOne } = await createTestOrganization();
    const earlier = await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.6.0.1"));
    const deviceCookie = deviceCookieOf(earlier);
    if (!earlier.ok) throw new Error("expected a sign-in");

    // The attack: 20 wrong guesses from 4 addresses spend the account's 15 a five minutes.
    for (let guess = 0; guess < 20; guess += 1) {
      await verifyCredentials({ email: repOne.email, password: `guess-${guess}` }, from(`10.7.0.${guess % 4}`));
    }
    expect(await refusals(repOne.id)).toEqual({ invalidCredentials: 15, rateLimited: 5 });

    // The owner's browser, with its device cookie, from its usual address and from a new one.
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.6.0.1"), deviceCookie)).toMatchObject({
      ok: true,
    });
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.6.0.9"), deviceCookie)).toMatchObject({
      ok: true,
    });
    // The sudo prompt of the signed-in owner is not the account's limit either.
    const owner = { ...repOne, organizationId: organization.id, sessionId: earlier.identity.sessionId };
    expect(await confirmPassword(owner, TEST_PASSWORD, from("10.6.0.1"))).toBe("confirmed");

    // Without the cookie, with a forged one, or with one proving another e-mail: the account's limit.
    const forged = `${deviceCookie.split(".")[0]}.${"A".repeat(43)}`;
    for (const cookie of [undefined, forged, deviceCookieValue(`other-${repOne.email}`), `${deviceCookie}.x`]) {
      const blocked = await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.6.0.2"), cookie);
      expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
      if (blocked.ok || blocked.reason !== "rate_limited") throw new Error("expected a rate limit");
      expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(300);
      clock.advanceSeconds(0);
    }
    clock.advanceSeconds(301);
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.6.0.2"))).toMatchObject({ ok: true });
  });

  it("a stolen device cookie is no free pass: it has a limit of its own, across addresses", async () => {
    const { repOne } = await createTestOrganization();
    const deviceCookie = deviceCookieOf(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.8.0.1")));
    const outcomes: string[] = [];
    for (let guess = 0; guess < 7; guess += 1) {
      const result = await verifyCredentials({ email: repOne.email, password: `guess-${guess}` }, from(`10.8.1.${guess}`), deviceCookie);
      outcomes.push(result.ok ? "ok" : result.reason);
    }
    expect(outcomes).toEqual([...Array(5).fill("invalid_credentials"), "rate_limited", "rate_limited"]);
  });

  it("the password prompt is limited per session, not by the sign-in limits", async () => {
    const { organization, repOne } = await createTestOrganization();
    const signedIn = await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.9.0.1"));
    if (!signedIn.ok) throw new Error("expected a sign-in");
    const owner = { ...repOne, organizationId: organization.id, sessionId: signedIn.identity.sessionId };
    const outcomes: string[] = [];
    for (let guess = 0; guess < 6; guess += 1) outcomes.push(await confirmPassword(owner, `guess-${guess}`, from("10.9.0.1")));
    expect(outcomes).toEqual([...Array(5).fill("wrong_password"), "rate_limited"]);
    expect(await confirmPassword(owner, TEST_PASSWORD, from("10.9.0.1"))).toBe("rate_limited");
    // Another session of the same user has its own allowance.
    const other = await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.9.0.1"));
    if (!other.ok) throw new Error("expected a sign-in");
    expect(await confirmPassword({ ...owner, sessionId: other.identity.sessionId }, TEST_PASSWORD, from("10.9.0.1"))).toBe("confirmed");
  });

  it("a flood of fresh e-mails from one address reaches at most 30 password checks a minute; others still sign in", async () => {
    const { repOne } = await createTestOrganization();
    const fresh = (attempt: number) => ({ email: `flood-${attempt}-${Date.now()}@example.test`, password: "x" });
    const flood = Promise.all(Array.from({ length: 60 }, (_, attempt) => verifyCredentials(fresh(attempt), from("10.10.0.1"))));
    // Meanwhile the real user, from another address, gets in (after a moment if the process is busy).
    let real: SignInResult = { ok: false, reason: "busy" };
    for (let tries = 0; tries < 100 && !real.ok && real.reason === "busy"; tries += 1) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      real = await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.10.0.2"));
    }
    expect(real, JSON.stringify(real)).toMatchObject({ ok: true });
    await flood;
    // At most 30 passwords were checked; then the address is limited, whatever e-mail it tries.
    const outcomes: string[] = [];
    for (let attempt = 60; attempt < 100 && outcomes.at(-1) !== "rate_limited"; attempt += 1) {
      const result = await verifyCredentials(fresh(attempt), from("10.10.0.1"));
      outcomes.push(result.ok ? "ok" : result.reason);
    }
    expect(outcomes.at(-1)).toBe("rate_limited");
    expect((await refusalsFrom("10.10.0.1"))("invalid_credentials")).toBeLessThanOrEqual(30);
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.10.0.1"))).toMatchObject({
      reason: "rate_limited",
    });
  }, 90_000);

  it("when the process is at its cap of password checks, the answer is busy, not rate_limited", async () => {
    const { repOne } = await createTestOrganization();
    // The process's gate (lib/auth/passwords.ts), replaced by one that is always full.
    const processGate = processSingleton<ReturnType<typeof createBoundedGate>>("argon2Gate");
    const gate = processGate.get();
    processGate.set(createBoundedGate({ concurrency: 0, queue: 0 }));
    try {
      expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.11.0.1"))).toEqual({
        ok: false,
        reason: "busy",
      });
    } finally {
      processGate.set(gate);
    }
    const audited = await refusalsFrom("10.11.0.1");
    expect(audited("busy")).toBe(1);
    // Nobody failed anything: the user's allowance is intact.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(await verifyCredentials({ email: repOne.email, password: "typo" }, from("10.11.0.1"))).toMatchObject({
        reason: "invalid_credentials",
      });
    }
  });

  it("refusals of unchecked attempts are one audit event per e-mail, address and minute, with a count", async () => {
    const clock = useClock();
    const { repOne } = await createTestOrganization();
    for (let guess = 0; guess < 12; guess += 1) {
      await verifyCredentials({ email: repOne.email, password: `guess-${guess}` }, from("10.12.0.1"));
    }
    clock.advanceSeconds(0.5);
    const db = await getDb();
    const rows = () =>
      db
        .select({ details: auditEvents.details })
        .from(auditEvents)
        .where(and(eq(auditEvents.targetUserId, repOne.id), eq(auditEvents.action, "sign_in.failed")));
    const limited = async () => (await rows()).filter((row) => row.details.reason === "rate_limited").map((row) => row.details.count);
    // Five passwords checked (one event each), seven refused unchecked within the minute.
    expect((await rows()).filter((row) => row.details.reason === "invalid_credentials")).toHaveLength(5);
    expect(await limited()).toEqual([7]);
    // The next minute starts an event of its own (the address's allowance is spent again at once).
    clock.advanceSeconds(60);
    for (let guess = 0; guess < 8; guess += 1) {
      await verifyCredentials({ email: repOne.email, password: `again-${guess}` }, from("10.12.0.1"));
    }
    expect((await limited()).sort()).toEqual([3, 7]);
  });
});
