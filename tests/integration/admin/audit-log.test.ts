// @module-tag database
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { auditCsv, listAuditEvents } from "@/lib/audit/log";
import { describeChanges, csvField } from "@/lib/audit/format";
import { updateTokenPolicy } from "@/lib/organizations/update-policy";
import { createRep } from "@/lib/reps/create";
import { updateRep } from "@/lib/reps/update";
import { updateToken } from "@/lib/tokens/update";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { newMember } from "../../fixtures/people";
import { createTestToken, domainErrorOf } from "../../fixtures/tokens";

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("audit log", () => {
  it("lists the organization's events newest first, with each change old → new", async () => {
    const { admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(admin), { userId: repOne.id, description: "Before" });
    await updateToken(actorFor(admin), token.id, { description: "After" });
    await updateRep(actorFor(admin), repOne.id, { active: false });

    const { entries } = await listAuditEvents(actorFor(admin));
    expect(entries.slice(0, 3).map((entry) => entry.action)).toEqual(["user.deactivated", "token.updated", "token.created"]);
    const [deactivated, updated] = entries;
    expect(deactivated).toMatchObject({ actorUsername: "admin", targetUsername: "rep.one", targetType: "user" });
    expect(deactivated?.changes).toContainEqual({ field: "active", from: "true", to: "false" });
    expect(updated?.changes).toEqual([{ field: "description", from: "Before", to: "After" }]);
  });

  it("filters by action, actor, target rep and date range, and pages by keyset without gaps or repeats", async () => {
    const { admin, repOne, repTwo } = await createTestOrganization();
    for (let i = 0; i < 5; i += 1) await createTestToken(actorFor(repOne));
    await createTestToken(actorFor(admin), { userId: repTwo.id });
    const admin_ = actorFor(admin);

    const created = await listAuditEvents(admin_, { action: "token.created" });
    expect(created.entries).toHaveLength(6);
    expect((await listAuditEvents(admin_, { action: "token.created", actorId: repOne.id })).entries).toHaveLength(5);
    expect((await listAuditEvents(admin_, { action: "token.created", targetUserId: repTwo.id })).entries).toHaveLength(1);

    const today = new Date().toISOString().slice(0, 10);
    expect((await listAuditEvents(admin_, { action: "token.created", from: today, to: today })).entries).toHaveLength(6);
    expect((await listAuditEvents(admin_, { action: "token.created", from: "2000-01-01", to: "2000-01-31" })).entries).toHaveLength(0);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listAuditEvents(admin_, { action: "token.created", limit: 2, cursor });
      seen.push(...page.entries.map((entry) => entry.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(created.entries.map((entry) => entry.id));
  });

  it("shows nothing of another organization, not even through a filter on its users", async () => {
    const mine = await createTestOrganization();
    const theirs = await createTestOrganization();
    await createTestToken(actorFor(theirs.repOne));
    const { entries } = await listAuditEvents(actorFor(mine.admin), { actorId: theirs.repOne.id });
    expect(entries).toHaveLength(0);
    const all = await listAuditEvents(actorFor(mine.admin), { limit: 200 });
    const db = await getDb();
    const theirEvents = new Set(
      (await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.organizationId, theirs.organization.id))).map(
        (row) => row.id,
      ),
    );
    expect(all.entries.some((entry) => theirEvents.has(entry.id))).toBe(false);
  });

  it("is for admins only", async () => {
    const { repOne } = await createTestOrganization();
    expect((await domainErrorOf(listAuditEvents(actorFor(repOne)))).code).toBe("forbidden");
    expect(() => auditCsv(actorFor(repOne))).toThrow(/admins/);
  });

  it("exports the filtered log as CSV, with changes and defused formulas", async () => {
    const { admin } = await createTestOrganization();
    // The user agent is whatever the client sent: a spreadsheet must not run it as a formula.
    const hostile = { ...actorFor(admin), context: { ip: "10.0.0.9", userAgent: '=HYPERLINK("x")' } };
    const rep = newMember(
      await createRep(hostile, {
        username: "csv.rep",
        email: `csv-${admin.id}@example.test`,
        displayName: 'CSV, "quoted"',
        role: "rep",
      }),
    );
    await updateTokenPolicy(actorFor(admin), {
      maxLifetimeDays: 60,
      requireExpiration: true,
      defaultLifetimeDays: 30,
      expiryNoticeDays: [7, 1],
    });
    const csv = await readAll(auditCsv(actorFor(admin)));
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("occurred_at,action,actor,actor_user_id,actor_token_id,target_type,target_id,target_rep,ip,user_agent,changes");
    expect(lines[1]).toContain(",policy.updated,admin,");
    expect(lines[1]).toContain("maxLifetimeDays: none → 60; requireExpiration: false → true");
    expect(lines[2]).toContain(`,user.created,admin,${admin.id},,user,${rep.rep.id},csv.rep,10.0.0.9,"'=HYPERLINK(""x"")",`);
    expect(lines[2]).toContain('displayName: CSV, ""quoted""');
    const onlyPolicy = await readAll(auditCsv(actorFor(admin), { action: "policy.updated" }));
    expect(onlyPolicy.trimEnd().split("\r\n")).toHaveLength(2);
  });
});

describe("audit formatting", () => {
  it("describes changes old → new and other details as values", () => {
    expect(
      describeChanges({
        changes: { role: { from: "admin", to: "rep" } },
        username: "x",
        permissions: ["a", "b"],
        expiresAt: { from: null, to: "2030-01-01" },
      }),
    ).toEqual([
      { field: "role", from: "admin", to: "rep" },
      { field: "username", value: "x" },
      { field: "permissions", value: "a, b" },
      { field: "expiresAt", from: "none", to: "2030-01-01" },
    ]);
  });

  it("quotes CSV fields per RFC 4180 and defuses spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a "b", c')).toBe('"a ""b"", c"');
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField(null)).toBe("");
  });
});

describe("audit log — hand-edited console URLs", () => {
  it("ignores days PostgreSQL cannot hold and tampered cursors instead of failing", async () => {
    const { admin } = await createTestOrganization();
    const tampered = Buffer.from(JSON.stringify({ at: "0000-01-01T00:00:00.000Z", id: "0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f" })).toString(
      "base64url",
    );
    const all = await listAuditEvents(actorFor(admin), {});
    expect((await listAuditEvents(actorFor(admin), { from: "0000-01-01", to: "9999-12-31", cursor: tampered })).entries).toEqual(
      all.entries,
    );
  });
});
