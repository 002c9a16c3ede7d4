// @module-tag database
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, notifications, personalAccessTokens, tokenUsageHourly } from "@/db/schema";
import { runJobsPass } from "@/lib/jobs/run-pass";
import { countIdleTokens, enforceIdleTokenPolicy } from "@/lib/tokens/idle";
import { verifyToken } from "@/lib/tokens/verify";
import { addDays } from "@/lib/shared/time";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken, setPolicy, tokenRow } from "../../fixtures/tokens";

// SPEC §11: "Revoke tokens unused for (days)", with a notice a week before, a dry-run count, and
// the revocation audited with reason "Unused for N days".

async function idleMails(organizationId: string) {
  const db = await getDb();
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.organizationId, organizationId), eq(notifications.kind, "token.idle")));
}

describe("idle tokens", () => {
  it("a token unused for N − 7 days is noticed; a week later, still unused, it is revoked and audited; a used one is left alone", async () => {
    const { organization, repOne } = await createTestOrganization();
    const now = new Date();
    const idle = await createTestToken(actorFor(repOne), { description: "forgotten", expiresAt: null });
    const used = await createTestToken(actorFor(repOne), { description: "busy", expiresAt: null });
    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ createdAt: addDays(now, -40) })
      .where(eq(personalAccessTokens.id, idle.token.id));
    await db
      .update(personalAccessTokens)
      .set({ createdAt: addDays(now, -40), lastUsedAt: addDays(now, -2) })
      .where(eq(personalAccessTokens.id, used.token.id));

    // No policy: nothing happens.
    await enforceIdleTokenPolicy(now, { organizationId: organization.id });
    expect(await idleMails(organization.id)).toHaveLength(0);

    await setPolicy(organization.id, { revokeUnusedAfterDays: 30 });
    expect(await countIdleTokens(organization.id, 30, now)).toBe(1);
    // Unused for 40 days under a 30-day policy: told first, never revoked without a week's notice.
    await runJobsPass({ organizationId: organization.id, transport: null });
    const mails = await idleMails(organization.id);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ recipientUserId: repOne.id, subject: "Your unused token “forgotten” will be revoked" });
    expect(await tokenRow(idle.token.id)).toMatchObject({ revokedAt: null });
    // Another pass the same day sends nothing more.
    await enforceIdleTokenPolicy(addDays(now, 1), { organizationId: organization.id });
    expect(await idleMails(organization.id)).toHaveLength(1);

    const weekLater = addDays(now, 7.01);
    await enforceIdleTokenPolicy(weekLater, { organizationId: organization.id });
    expect(await tokenRow(idle.token.id)).toMatchObject({ revokeReason: "Unused for 30 days" });
    expect(await verifyToken(idle.value)).toMatchObject({ ok: false, reason: "revoked" });
    expect(await tokenRow(used.token.id)).toMatchObject({ revokedAt: null });
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, organization.id),
          eq(auditEvents.action, "token.revoked"),
          eq(auditEvents.targetId, idle.token.id),
        ),
      );
    expect(event?.details).toMatchObject({ reason: "Unused for 30 days", automatic: true });
  });

  it("a use after the notice starts a new stretch: no revocation without a new notice a week ahead", async () => {
    const { organization, repOne } = await createTestOrganization();
    const now = new Date();
    const token = await createTestToken(actorFor(repOne), { description: "revived", expiresAt: null });
    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ createdAt: addDays(now, -40) })
      .where(eq(personalAccessTokens.id, token.token.id));
    await setPolicy(organization.id, { revokeUnusedAfterDays: 30 });
    await enforceIdleTokenPolicy(now, { organizationId: organization.id });
    // Used the next day: the notice belonged to the last stretch.
    await db
      .update(personalAccessTokens)
      .set({ lastUsedAt: addDays(now, 1) })
      .where(eq(personalAccessTokens.id, token.token.id));
    await enforceIdleTokenPolicy(addDays(now, 8), { organizationId: organization.id });
    expect(await tokenRow(token.token.id)).toMatchObject({ revokedAt: null });
  });

  it("usage rows older than the retention are pruned", async () => {
    const { organization, repOne } = await createTestOrganization();
    const token = await createTestToken(actorFor(repOne), { description: "old usage" });
    const db = await getDb();
    const hour = (daysAgo: number) => new Date(Math.floor(addDays(new Date(), -daysAgo).getTime() / 3_600_000) * 3_600_000);
    await db.insert(tokenUsageHourly).values([
      { tokenId: token.token.id, organizationId: organization.id, hour: hour(100), requests: 5 },
      { tokenId: token.token.id, organizationId: organization.id, hour: hour(3), requests: 7 },
    ]);
    await runJobsPass({ organizationId: organization.id, transport: null });
    const left = await db.select().from(tokenUsageHourly).where(eq(tokenUsageHourly.tokenId, token.token.id));
    expect(left.map((row) => row.requests)).toEqual([7]);
  });
});
