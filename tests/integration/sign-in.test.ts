import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, organizations, persons, users } from "@/db/schema";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { createTestOrganization, TEST_PASSWORD } from "../fixtures/organizations";

const from = (ip: string) => ({ ip, userAgent: "vitest" });

async function auditOf(userId: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.targetUserId, userId));
}

describe("sign-in", () => {
  it("accepts the right password, records sign_in.succeeded and the sign-in time", async () => {
    const { repOne } = await createTestOrganization();
    const result = await verifyCredentials({ email: repOne.email.toUpperCase(), password: TEST_PASSWORD }, from("10.0.0.1"));
    expect(result).toEqual({
      ok: true,
      identity: { personId: repOne.personId, sessionId: expect.any(String) },
      deviceCookie: expect.any(String),
    });
    const succeeded = (await auditOf(repOne.id)).filter((event) => event.action === "sign_in.succeeded");
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]).toMatchObject({ ip: "10.0.0.1", userAgent: "vitest", actorUserId: repOne.id });
    const db = await getDb();
    const [row] = await db.select().from(persons).where(eq(persons.id, repOne.personId));
    expect(row?.lastSignInAt).toBeInstanceOf(Date);
  });

  it("refuses a wrong password and an unknown e-mail with the same reason, and audits both", async () => {
    const { repOne } = await createTestOrganization();
    const wrong = await verifyCredentials({ email: repOne.email, password: "wrong password!" }, from("10.0.0.2"));
    const unknown = await verifyCredentials({ email: `nobody-${repOne.id}@example.test`, password: "x" }, from("10.0.0.2"));
    expect(wrong).toEqual({ ok: false, reason: "invalid_credentials" });
    expect(unknown).toEqual({ ok: false, reason: "invalid_credentials" });
    const events = await auditOf(repOne.id);
    expect(events.map((event) => event.action)).toContain("sign_in.failed");
    expect(JSON.stringify(events)).not.toContain("wrong password!");
    const db = await getDb();
    const orphan = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "sign_in.failed"), eq(auditEvents.ip, "10.0.0.2")));
    expect(orphan.some((event) => event.organizationId === null)).toBe(true);
  });

  it("says a user is inactive only to someone who knows the password", async () => {
    const { repTwo } = await createTestOrganization();
    const db = await getDb();
    await db.update(users).set({ active: false }).where(eq(users.id, repTwo.id));
    expect(await verifyCredentials({ email: repTwo.email, password: "wrong" }, from("10.0.0.3"))).toEqual({
      ok: false,
      reason: "invalid_credentials",
    });
    expect(await verifyCredentials({ email: repTwo.email, password: TEST_PASSWORD }, from("10.0.0.3"))).toEqual({
      ok: false,
      reason: "inactive_user",
    });
  });

  it("refuses every user of an inactive organization", async () => {
    const { admin, organization } = await createTestOrganization();
    const db = await getDb();
    await db.update(organizations).set({ active: false }).where(eq(organizations.id, organization.id));
    expect(await verifyCredentials({ email: admin.email, password: TEST_PASSWORD }, from("10.0.0.4"))).toEqual({
      ok: false,
      reason: "inactive_organization",
    });
  });

  it("slows repeated failures for one e-mail from one address, but not from another address", async () => {
    const { repOne } = await createTestOrganization();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const result = await verifyCredentials({ email: repOne.email, password: "guess" }, from("10.0.0.5"));
      expect(result).toEqual({ ok: false, reason: "invalid_credentials" });
    }
    const blocked = await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.0.0.5"));
    expect(blocked).toMatchObject({ ok: false, reason: "rate_limited" });
    if (blocked.ok || blocked.reason !== "rate_limited") throw new Error("expected a rate limit");
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(60);

    const elsewhere = await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, from("10.0.0.6"));
    expect(elsewhere.ok).toBe(true);
  });

  it("treats malformed input as a failed sign-in, never as an error", async () => {
    for (const input of [null, {}, { email: "not-an-email", password: "x" }, { email: ["a"], password: 1 }]) {
      expect(await verifyCredentials(input, from("10.0.0.7"))).toEqual({ ok: false, reason: "invalid_credentials" });
    }
  });
});
