import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, users } from "@/db/schema";
import { createRep } from "@/lib/reps/create";
import { listReps } from "@/lib/reps/queries";
import { resetRepPassword } from "@/lib/reps/reset-password";
import { updateRep } from "@/lib/reps/update";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { listTokens } from "@/lib/tokens/queries";
import { revokeToken } from "@/lib/tokens/revoke";
import { verifyToken } from "@/lib/tokens/verify";
import { actorFor, TEST_CONTEXT } from "../../fixtures/actors";
import { createTestOrganization, TEST_PASSWORD } from "../../fixtures/organizations";
import { newMember } from "../../fixtures/people";
import { createTestToken, domainErrorOf } from "../../fixtures/tokens";

async function userAudit(organizationId: string, targetUserId: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.targetUserId, targetUserId)))
    .orderBy(auditEvents.occurredAt);
}

describe("reps — deactivation", () => {
  it("deactivating a rep makes their token fail verification (owner_inactive); reactivating restores it", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { value } = await createTestToken(actorFor(admin), { userId: repOne.id });
    expect((await verifyToken(value)).ok).toBe(true);

    await updateRep(actorFor(admin), repOne.id, { active: false });
    expect(await verifyToken(value)).toMatchObject({ ok: false, reason: "owner_inactive" });
    // Not revoked: the token itself is untouched.
    expect((await listTokens(actorFor(admin), { userId: repOne.id, state: "active" })).total).toBe(1);

    await updateRep(actorFor(admin), repOne.id, { active: true });
    expect((await verifyToken(value)).ok).toBe(true);

    const actions = (await userAudit(organization.id, repOne.id)).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["user.deactivated", "user.activated"]));
    const deactivated = (await userAudit(organization.id, repOne.id)).find((event) => event.action === "user.deactivated");
    expect(deactivated).toMatchObject({ actorUserId: admin.id, targetType: "user", targetId: repOne.id, ip: TEST_CONTEXT.ip });
    expect(deactivated?.details).toMatchObject({ changes: { active: { from: true, to: false } } });
  });

  it("a deactivated rep cannot sign in", async () => {
    const { admin, repOne } = await createTestOrganization();
    await updateRep(actorFor(admin), repOne.id, { active: false });
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, TEST_CONTEXT)).toEqual({
      ok: false,
      reason: "inactive_user",
    });
  });
});

describe("reps — demotion", () => {
  it("demoting an admin removes admin-only permissions from their tokens' effective permissions at once", async () => {
    const { admin } = await createTestOrganization();
    const second = newMember(
      await createRep(actorFor(admin), {
        username: "second.admin",
        email: `second-${admin.id}@example.test`,
        displayName: "Second Admin",
        role: "admin",
      }),
    );
    const secondActor = actorFor({ id: second.rep.id, organizationId: admin.organizationId, role: "admin" });
    const { value, token } = await createTestToken(secondActor, { permissions: ["tokens:admin", "audit:read", "tokens:read"] });
    expect(token.effectivePermissions.sort()).toEqual(["audit:read", "tokens:admin", "tokens:read"]);

    await updateRep(actorFor(admin), second.rep.id, { role: "rep" });
    const verified = await verifyToken(value);
    if (!verified.ok) throw new Error(`expected a valid token, got ${verified.reason}`);
    expect(verified.principal.role).toBe("rep");
    expect(verified.principal.permissions).toEqual(["tokens:read"]);
    const [listed] = (await listTokens(actorFor(admin), { userId: second.rep.id })).tokens;
    expect(listed?.effectivePermissions).toEqual(["tokens:read"]);
    // Stored permissions are kept, so promoting again restores them.
    expect(listed?.permissions.sort()).toEqual(["audit:read", "tokens:admin", "tokens:read"]);
  });
});

describe("reps — last active admin", () => {
  it("an admin cannot demote or deactivate themselves as the last active admin", async () => {
    const { admin } = await createTestOrganization();
    for (const patch of [{ role: "rep" }, { active: false }]) {
      const error = await domainErrorOf(updateRep(actorFor(admin), admin.id, patch));
      expect(error.code).toBe("conflict");
      expect(error.message).toMatch(/last active admin/);
    }
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, admin.id));
    expect(row).toMatchObject({ role: "admin", active: true });
  });

  it("with a second active admin, either may be demoted — but not both, even at once", async () => {
    const { admin } = await createTestOrganization();
    const second = newMember(
      await createRep(actorFor(admin), {
        username: "backup",
        email: `backup-${admin.id}@example.test`,
        displayName: "Backup",
        role: "admin",
      }),
    );
    const secondActor = actorFor({ id: second.rep.id, organizationId: admin.organizationId, role: "admin" });
    const results = await Promise.allSettled([
      updateRep(actorFor(admin), second.rep.id, { role: "rep" }),
      updateRep(secondActor, admin.id, { active: false }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const admins = (await listReps(actorFor(admin))).filter((rep) => rep.role === "admin" && rep.active);
    expect(admins).toHaveLength(1);
  });

  it("an inactive admin does not count: the last active one stays protected", async () => {
    const { admin } = await createTestOrganization();
    const other = newMember(
      await createRep(actorFor(admin), {
        username: "other",
        email: `other-${admin.id}@example.test`,
        displayName: "Other",
        role: "admin",
      }),
    );
    await updateRep(actorFor(admin), other.rep.id, { active: false });
    expect((await domainErrorOf(updateRep(actorFor(admin), admin.id, { role: "rep" }))).code).toBe("conflict");
  });
});

describe("reps — create, edit, reset password", () => {
  it("creates a rep with a generated password that signs in, audited without the password", async () => {
    const { organization, admin } = await createTestOrganization();
    const created = newMember(
      await createRep(actorFor(admin), {
        username: "New.Rep",
        email: `NEW-${admin.id}@Example.test`,
        displayName: "New Rep",
        role: "rep",
      }),
    );
    expect(created.generated).toBe(true);
    expect(created.password.length).toBeGreaterThanOrEqual(20);
    expect(created.rep).toMatchObject({
      username: "new.rep",
      email: `new-${admin.id}@example.test`,
      role: "rep",
      active: true,
      activeTokens: { total: 0, totalCapped: false },
      lastSignInAt: null,
    });
    expect(await verifyCredentials({ email: created.rep.email, password: created.password }, TEST_CONTEXT)).toMatchObject({ ok: true });
    const events = await userAudit(organization.id, created.rep.id);
    expect(events.map((event) => event.action)).toEqual(["user.created", "sign_in.succeeded"]);
    expect(JSON.stringify(events)).not.toContain(created.password);
  });

  it("refuses a taken e-mail or username, a short password and an unknown role, with field errors", async () => {
    const { admin, repOne } = await createTestOrganization();
    const base = { username: "fresh", email: `fresh-${admin.id}@example.test`, displayName: "Fresh", role: "rep" };
    expect((await domainErrorOf(createRep(actorFor(admin), { ...base, email: repOne.email }))).fieldErrors.email).toBeDefined();
    expect((await domainErrorOf(createRep(actorFor(admin), { ...base, username: repOne.username }))).fieldErrors.username).toBeDefined();
    expect((await domainErrorOf(createRep(actorFor(admin), { ...base, password: "short" }))).fieldErrors.password).toBeDefined();
    expect((await domainErrorOf(createRep(actorFor(admin), { ...base, role: "owner" }))).fieldErrors.role).toBeDefined();
  });

  it("edits the display name (user.updated, old → new) and lists active tokens and last sign-in", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    await createTestToken(actorFor(repOne));
    const revoked = await createTestToken(actorFor(repOne));
    await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, TEST_CONTEXT);
    await revokeToken(actorFor(repOne), revoked.token.id);

    await updateRep(actorFor(admin), repOne.id, { displayName: "Rep Uno" });
    const rep = (await listReps(actorFor(admin))).find((candidate) => candidate.id === repOne.id);
    expect(rep).toMatchObject({ displayName: "Rep Uno", activeTokens: { total: 1, totalCapped: false } });
    expect(rep?.lastSignInAt).not.toBeNull();
    const updated = (await userAudit(organization.id, repOne.id)).find((event) => event.action === "user.updated");
    expect(updated?.details).toMatchObject({ changes: { displayName: { from: "Rep One", to: "Rep Uno" } } });
  });

  it("resets a password: the old one stops working, the new one works, audited without it", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const reset = await resetRepPassword(actorFor(admin), repOne.id, "a brand new passphrase");
    expect(reset).toEqual({ kind: "issued", username: repOne.username, password: "a brand new passphrase", generated: false });
    if (reset.kind !== "issued") throw new Error("a person of one organization gets the password");
    expect(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, TEST_CONTEXT)).toMatchObject({ ok: false });
    expect(await verifyCredentials({ email: repOne.email, password: reset.password }, TEST_CONTEXT)).toMatchObject({ ok: true });
    const events = await userAudit(organization.id, repOne.id);
    expect(events.map((event) => event.action)).toContain("user.password_reset");
    expect(JSON.stringify(events)).not.toContain(reset.password);
  });
});

describe("reps — authorization and isolation", () => {
  it("a rep can neither list, create, edit nor reset anyone", async () => {
    const { repOne, repTwo } = await createTestOrganization();
    const rep = actorFor(repOne);
    expect((await domainErrorOf(listReps(rep))).code).toBe("forbidden");
    expect(
      (await domainErrorOf(createRep(rep, { username: "x1", email: `x-${repOne.id}@example.test`, displayName: "X", role: "admin" }))).code,
    ).toBe("forbidden");
    expect((await domainErrorOf(updateRep(rep, repOne.id, { role: "admin" }))).code).toBe("forbidden");
    expect((await domainErrorOf(resetRepPassword(rep, repTwo.id))).code).toBe("forbidden");
  });

  it("another organization's rep answers not found, and is left untouched", async () => {
    const mine = await createTestOrganization();
    const theirs = await createTestOrganization();
    const admin = actorFor(mine.admin);
    expect((await domainErrorOf(updateRep(admin, theirs.repOne.id, { active: false }))).code).toBe("not_found");
    expect((await domainErrorOf(resetRepPassword(admin, theirs.repOne.id))).code).toBe("not_found");
    expect((await listReps(admin)).map((rep) => rep.id)).not.toContain(theirs.repOne.id);
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, theirs.repOne.id));
    expect(row?.active).toBe(true);
  });
});
