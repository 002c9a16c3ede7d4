// @module-tag database
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { personalAccessTokens, users } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { runJobsPass } from "@/lib/jobs/run-pass";
import { dueThreshold, enqueueExpiryNotices } from "@/lib/notifications/expiry";
import { updateTokenPolicy } from "@/lib/organizations/update-policy";
import { addDays } from "@/lib/shared/time";
import { revokeToken } from "@/lib/tokens/revoke";
import { setTokenActive } from "@/lib/tokens/update";
import { actorFor } from "../../fixtures/actors";
import { outboxOf, recordingTransport } from "../../fixtures/notifications";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";

const HOUR_MS = 3_600_000;
const expiryMails = async (organizationId: string) =>
  (await outboxOf(organizationId)).filter((mail) => mail.kind === "token.expiring" || mail.kind === "token.expired");

describe("expiry notices", () => {
  it("go out at 7 days, at 1 day and on expiry — to the owner and to the admin who created the token — each once", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const start = new Date();
    const { token } = await createTestToken(
      actorFor(admin),
      { userId: repOne.id, description: "Payroll sync", expiresAt: addDays(start, 10) },
      start,
    );
    const pass = (now: Date) => enqueueExpiryNotices(now, { organizationId: organization.id });

    expect(await pass(start)).toBe(0);
    expect(await pass(addDays(start, 3.5))).toBe(2);
    expect(await pass(addDays(start, 4))).toBe(0);
    expect(await pass(addDays(start, 9.5))).toBe(2);
    expect(await pass(addDays(start, 10.5))).toBe(2);
    expect(await pass(addDays(start, 11))).toBe(0);

    const mails = await expiryMails(organization.id);
    expect(mails.map((mail) => [mail.kind, mail.recipient, mail.dedupeKey])).toEqual([
      ["token.expiring", repOne.email, `expiring:${token.id}:7`],
      ["token.expiring", admin.email, `expiring:${token.id}:7:${admin.id}`],
      ["token.expiring", repOne.email, `expiring:${token.id}:1`],
      ["token.expiring", admin.email, `expiring:${token.id}:1:${admin.id}`],
      ["token.expired", repOne.email, `expired:${token.id}`],
      ["token.expired", admin.email, `expired:${token.id}:${admin.id}`],
    ]);
    const [toOwner, toAdmin, dayBefore] = mails;
    expect(toOwner?.subject).toBe("Your token “Payroll sync” expires in 7 days");
    expect(toAdmin?.subject).toBe("Rep One's token “Payroll sync” expires in 7 days");
    expect(dayBefore?.subject).toBe("Your token “Payroll sync” expires in 1 day");
    expect(mails[4]?.subject).toBe("Your token “Payroll sync” has expired");
    // "Copy as new", prefilled from the expiring token: on Options for the owner, the admin's table for the admin.
    // Each in the token's own organization: a person in several lands in the right one.
    const appUrl = getEnv().appUrl;
    expect(toOwner?.body).toContain(`${appUrl}/${organization.slug}/options?copy=${token.id}`);
    expect(toAdmin?.body).toContain(`${appUrl}/${organization.slug}/admin/tokens?copy=${token.id}`);
  });

  it("an admin copy that could not go out with the owner's notice goes out on a later pass, once", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const start = new Date();
    const { token } = await createTestToken(actorFor(admin), { userId: repOne.id, expiresAt: addDays(start, 10) }, start);
    const pass = (now: Date) => enqueueExpiryNotices(now, { organizationId: organization.id });
    const db = await getDb();
    const setAdminActive = (active: boolean) => db.update(users).set({ active }).where(eq(users.id, admin.id));

    // The creating admin is deactivated when the 7-day notice is due: only the owner hears.
    await setAdminActive(false);
    expect(await pass(addDays(start, 3.5))).toBe(1);
    // Back the next day: the copy still missing goes out, and only it.
    await setAdminActive(true);
    expect(await pass(addDays(start, 4))).toBe(1);
    expect(await pass(addDays(start, 4.5))).toBe(0);
    // The same for the expired notice.
    await setAdminActive(false);
    expect(await pass(addDays(start, 10.5))).toBe(1);
    await setAdminActive(true);
    expect(await pass(addDays(start, 10.6))).toBe(1);
    expect(await pass(addDays(start, 11))).toBe(0);
    expect((await expiryMails(organization.id)).map((mail) => mail.dedupeKey)).toEqual([
      `expiring:${token.id}:7`,
      `expiring:${token.id}:7:${admin.id}`,
      `expired:${token.id}`,
      `expired:${token.id}:${admin.id}`,
    ]);
  });

  it("exactly once when two workers run the same pass concurrently", async () => {
    const { organization, admin, repOne, repTwo } = await createTestOrganization();
    const start = new Date();
    for (const owner of [repOne, repTwo, repOne]) {
      await createTestToken(actorFor(admin), { userId: owner.id, expiresAt: addDays(start, 5) }, start);
    }
    await createTestToken(actorFor(repTwo), { expiresAt: addDays(start, 0.5) }, start);
    const now = addDays(start, 0.1);

    const passes = await Promise.all([
      runJobsPass({ now, organizationId: organization.id, transport: null }),
      runJobsPass({ now, organizationId: organization.id, transport: null }),
    ]);
    // Three admin-created tokens (owner + admin each) and one of repTwo's own.
    expect(passes.reduce((sum, pass) => sum + pass.queued, 0)).toBe(7);
    const mails = await expiryMails(organization.id);
    expect(mails).toHaveLength(7);
    expect(new Set(mails.map((mail) => mail.dedupeKey)).size).toBe(7);

    // And delivery: two workers at once send every mail (these and the three "created for you") exactly once.
    const transport = recordingTransport();
    const [first, second] = await Promise.all([
      runJobsPass({ now, organizationId: organization.id, transport }),
      runJobsPass({ now, organizationId: organization.id, transport }),
    ]);
    const outbox = await outboxOf(organization.id);
    expect(outbox).toHaveLength(10);
    expect((first?.delivery?.sent ?? 0) + (second?.delivery?.sent ?? 0)).toBe(10);
    expect(transport.sent.map((mail) => `${mail.to} ${mail.subject}`).sort()).toEqual(
      outbox.map((mail) => `${mail.recipient} ${mail.subject}`).sort(),
    );
    expect(outbox.every((mail) => mail.sentAt !== null && mail.attempts === 1)).toBe(true);
  });

  it("a token first seen inside the 1-day window gets only the 1-day notice", async () => {
    const { organization, repOne } = await createTestOrganization();
    const start = new Date();
    const { token } = await createTestToken(actorFor(repOne), { expiresAt: new Date(start.getTime() + 12 * HOUR_MS) }, start);
    await enqueueExpiryNotices(start, { organizationId: organization.id });
    expect((await expiryMails(organization.id)).map((mail) => mail.dedupeKey)).toEqual([`expiring:${token.id}:1`]);
  });

  it("follows the organization's notice days, and sends none for revoked, switched-off or never-expiring tokens, or inactive reps", async () => {
    const { organization, admin, repOne, repTwo } = await createTestOrganization();
    await updateTokenPolicy(actorFor(admin), {
      maxLifetimeDays: null,
      requireExpiration: false,
      defaultLifetimeDays: 30,
      expiryNoticeDays: [3],
    });
    const start = new Date();
    const soon = addDays(start, 2);
    const noticed = await createTestToken(actorFor(repOne), { expiresAt: soon }, start);
    await createTestToken(actorFor(repOne), { expiresAt: addDays(start, 6) }, start);
    await createTestToken(actorFor(repOne), { expiresAt: null }, start);
    await revokeToken(actorFor(repOne), (await createTestToken(actorFor(repOne), { expiresAt: soon }, start)).token.id);
    await setTokenActive(actorFor(repOne), (await createTestToken(actorFor(repOne), { expiresAt: soon }, start)).token.id, false);
    await createTestToken(actorFor(repTwo), { expiresAt: soon }, start);
    const db = await getDb();
    await db.update(users).set({ active: false }).where(eq(users.id, repTwo.id));

    await enqueueExpiryNotices(start, { organizationId: organization.id });
    expect((await expiryMails(organization.id)).map((mail) => mail.dedupeKey)).toEqual([`expiring:${noticed.token.id}:3`]);
  });

  it("a token that expired long ago (say, while the jobs were off) still gets its one expired notice", async () => {
    const { organization, repOne } = await createTestOrganization();
    const start = new Date();
    const { token } = await createTestToken(actorFor(repOne), { expiresAt: addDays(start, 1) }, start);
    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ expiresAt: addDays(start, -90) })
      .where(eq(personalAccessTokens.id, token.id));
    await enqueueExpiryNotices(start, { organizationId: organization.id });
    await enqueueExpiryNotices(start, { organizationId: organization.id });
    expect((await expiryMails(organization.id)).map((mail) => mail.dedupeKey)).toEqual([`expired:${token.id}`]);
  });
});

describe("dueThreshold", () => {
  const now = new Date("2030-01-01T00:00:00Z");
  it("is the tightest threshold reached, or null", () => {
    expect(dueThreshold(addDays(now, 8), now, [7, 1])).toBeNull();
    expect(dueThreshold(addDays(now, 7), now, [7, 1])).toBe(7);
    expect(dueThreshold(addDays(now, 2), now, [7, 1])).toBe(7);
    expect(dueThreshold(addDays(now, 1), now, [7, 1])).toBe(1);
    expect(dueThreshold(addDays(now, 0.2), now, [1, 7])).toBe(1);
    expect(dueThreshold(now, now, [7, 1])).toBeNull();
    expect(dueThreshold(addDays(now, 1), now, [])).toBeNull();
  });
});
