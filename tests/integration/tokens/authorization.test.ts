import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { ADMIN_ONLY_PERMISSIONS } from "@/lib/permissions/catalog";
import { getToken, listTokens } from "@/lib/tokens/queries";
import { listPeople } from "@/lib/reps/queries";
import { regenerateToken } from "@/lib/tokens/regenerate";
import { deleteToken, revokeToken, revokeTokens } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization, DEFAULT_POLICY } from "../../fixtures/organizations";
import { auditEventCount, createTestToken, domainErrorOf, tokenRow } from "../../fixtures/tokens";

/** Every single-token operation, as the given actor, on the given id. */
const operations: [string, (actor: Actor, id: string) => Promise<unknown>][] = [
  ["getToken", (actor, id) => getToken(actor, id)],
  ["updateToken", (actor, id) => updateToken(actor, id, { description: "Hijacked" })],
  ["setTokenActive(false)", (actor, id) => setTokenActive(actor, id, false)],
  ["revokeToken", (actor, id) => revokeToken(actor, id, "Hijacked")],
  ["deleteToken", (actor, id) => deleteToken(actor, id)],
  ["regenerateToken", (actor, id) => regenerateToken(actor, id)],
];

describe("authorization — another rep's token", () => {
  it.each(operations)("rep → another rep's token by id, %s: not found, and nothing changes", async (_name, operation) => {
    const { repOne, repTwo, organization } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repTwo), { description: "Rep two's" });
    const before = await tokenRow(token.id);
    const auditBefore = await auditEventCount(organization.id);

    const error = await domainErrorOf(operation(actorFor(repOne), token.id));
    expect(error.code).toBe("not_found");
    expect(await tokenRow(token.id)).toEqual(before);
    expect(await auditEventCount(organization.id)).toBe(auditBefore);
  });

  it("rep → another rep's token, inactive and revoked: still not found (never conflict)", async () => {
    const { admin, repOne, repTwo } = await createTestOrganization();
    const inactive = await createTestToken(actorFor(repTwo));
    await setTokenActive(actorFor(admin), inactive.token.id, false);
    const revoked = await createTestToken(actorFor(repTwo));
    await revokeToken(actorFor(admin), revoked.token.id);
    expect((await domainErrorOf(setTokenActive(actorFor(repOne), inactive.token.id, false))).code).toBe("not_found");
    expect((await domainErrorOf(updateToken(actorFor(repOne), revoked.token.id, { description: "x" }))).code).toBe("not_found");
    expect((await domainErrorOf(revokeToken(actorFor(repOne), revoked.token.id))).code).toBe("not_found");
  });

  it("rep → bulk revoke including another rep's token: that one is skipped and untouched", async () => {
    const { repOne, repTwo } = await createTestOrganization();
    const mine = await createTestToken(actorFor(repOne));
    const theirs = await createTestToken(actorFor(repTwo));
    const result = await revokeTokens(actorFor(repOne), [mine.token.id, theirs.token.id]);
    expect(result).toEqual({ revoked: [mine.token.id], skipped: 1 });
    expect((await tokenRow(theirs.token.id))?.revokedAt).toBeNull();
  });

  it("rep's listTokens never includes others' tokens, even filtered by another rep's userId", async () => {
    const { admin, repOne, repTwo } = await createTestOrganization();
    const mine = await createTestToken(actorFor(repOne), { description: "Shared words" });
    await createTestToken(actorFor(repTwo), { description: "Shared words" });
    await createTestToken(actorFor(admin), { userId: repTwo.id, description: "Shared words" });

    const all = await listTokens(actorFor(repOne));
    expect(all.tokens.map((token) => token.id)).toEqual([mine.token.id]);
    expect(all.total).toBe(1);
    expect(await listTokens(actorFor(repOne), { userId: repTwo.id })).toEqual({
      tokens: [],
      total: 0,
      totalCapped: false,
      nextCursor: null,
      policy: DEFAULT_POLICY,
    });
    expect(await listTokens(actorFor(repOne), { userId: admin.id })).toEqual({
      tokens: [],
      total: 0,
      totalCapped: false,
      nextCursor: null,
      policy: DEFAULT_POLICY,
    });
    expect((await listTokens(actorFor(repOne), { search: "rep.two" })).total).toBe(0);
    expect((await listTokens(actorFor(repOne), { search: "Shared" })).tokens.map((token) => token.id)).toEqual([mine.token.id]);
  });

  it("people to pick as owner or filter: a rep only themselves; an admin everyone, deactivated reps marked", async () => {
    const { admin, repOne, repTwo } = await createTestOrganization();
    const db = await getDb();
    await db.update(users).set({ active: false }).where(eq(users.id, repTwo.id));
    expect((await listPeople(actorFor(repOne))).map((person) => person.id)).toEqual([repOne.id]);
    const everyone = await listPeople(actorFor(admin));
    expect(everyone.map((person) => [person.id, person.active]).sort()).toEqual(
      [
        [admin.id, true],
        [repOne.id, true],
        [repTwo.id, false],
      ].sort(),
    );
  });
});

describe("authorization — another organization", () => {
  it.each(operations)("admin of another org → this org's token, %s: not found, and nothing changes", async (_name, operation) => {
    const home = await createTestOrganization();
    const other = await createTestOrganization("Other Org");
    const { token } = await createTestToken(actorFor(home.repOne));
    const before = await tokenRow(token.id);
    const auditBefore = await auditEventCount(home.organization.id);
    const otherAuditBefore = await auditEventCount(other.organization.id);

    const error = await domainErrorOf(operation(actorFor(other.admin), token.id));
    expect(error.code).toBe("not_found");
    expect(error.message).toBe((await domainErrorOf(getToken(actorFor(other.admin), crypto.randomUUID()))).message);
    expect(await tokenRow(token.id)).toEqual(before);
    expect(await auditEventCount(home.organization.id)).toBe(auditBefore);
    expect(await auditEventCount(other.organization.id)).toBe(otherAuditBefore);
  });

  it("admin of another org → bulk revoke of this org's token: skipped, untouched", async () => {
    const home = await createTestOrganization();
    const other = await createTestOrganization("Other Org");
    const { token } = await createTestToken(actorFor(home.repOne));
    expect(await revokeTokens(actorFor(other.admin), [token.id])).toEqual({ revoked: [], skipped: 1 });
    expect((await tokenRow(token.id))?.revokedAt).toBeNull();
  });

  it("admin of another org: this org's tokens are absent from listTokens, whatever the filters", async () => {
    const home = await createTestOrganization();
    const other = await createTestOrganization("Other Org");
    const { token } = await createTestToken(actorFor(home.repOne), { description: "Home token" });
    const theirs = await createTestToken(actorFor(other.repOne), { description: "Other token" });
    const otherAdmin = actorFor(other.admin);

    const all = await listTokens(otherAdmin);
    expect(all.tokens.map((view) => view.id)).toEqual([theirs.token.id]);
    expect(all.total).toBe(1);
    const empty = { tokens: [], total: 0, totalCapped: false, nextCursor: null, policy: DEFAULT_POLICY };
    expect(await listTokens(otherAdmin, { userId: home.repOne.id })).toEqual(empty);
    expect(await listTokens(otherAdmin, { search: "Home token" })).toEqual(empty);
    expect(await listTokens(otherAdmin, { search: token.accountSid })).toEqual(empty);
  });

  it("admin → creating a token for a user of another org: invalid userId", async () => {
    const home = await createTestOrganization();
    const other = await createTestOrganization("Other Org");
    const error = await domainErrorOf(createTestToken(actorFor(other.admin), { userId: home.repOne.id }));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.userId).toBeDefined();
  });
});

describe("authorization — who a token is for and what it may hold", () => {
  it("rep creating a token for another user: invalid with fieldErrors.userId", async () => {
    const { repOne, repTwo, admin, organization } = await createTestOrganization();
    const auditBefore = await auditEventCount(organization.id);
    for (const userId of [repTwo.id, admin.id]) {
      const error = await domainErrorOf(createTestToken(actorFor(repOne), { userId }));
      expect(error.code).toBe("invalid");
      expect(error.fieldErrors.userId).toBeDefined();
    }
    expect((await listTokens(actorFor(admin))).total).toBe(0);
    expect(await auditEventCount(organization.id)).toBe(auditBefore);
  });

  it.each(ADMIN_ONLY_PERMISSIONS)("rep granting %s on their own token: invalid fieldErrors.permissions", async (permission) => {
    const { repOne } = await createTestOrganization();
    const created = await domainErrorOf(createTestToken(actorFor(repOne), { permissions: ["employees:read", permission] }));
    expect(created.code).toBe("invalid");
    expect(created.fieldErrors.permissions).toBeDefined();

    const { token } = await createTestToken(actorFor(repOne));
    const edited = await domainErrorOf(updateToken(actorFor(repOne), token.id, { permissions: [permission] }));
    expect(edited.code).toBe("invalid");
    expect(edited.fieldErrors.permissions).toBeDefined();
    expect((await tokenRow(token.id))?.permissions).toEqual(token.permissions);
  });

  it("admin granting tokens:admin to a rep's token: refused too (the ceiling is the owner's role)", async () => {
    const { admin, repOne } = await createTestOrganization();
    const created = await domainErrorOf(createTestToken(actorFor(admin), { userId: repOne.id, permissions: ["tokens:admin"] }));
    expect(created.code).toBe("invalid");
    expect(created.fieldErrors.permissions).toBeDefined();

    const { token } = await createTestToken(actorFor(admin), { userId: repOne.id });
    const edited = await domainErrorOf(updateToken(actorFor(admin), token.id, { permissions: ["tokens:read", "tokens:admin"] }));
    expect(edited.code).toBe("invalid");
    expect(edited.fieldErrors.permissions).toBeDefined();
  });

  it("admin may grant tokens:admin and every admin-only permission on their own token", async () => {
    const { admin } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(admin), { permissions: [...ADMIN_ONLY_PERMISSIONS] });
    expect([...token.effectivePermissions].sort()).toEqual([...ADMIN_ONLY_PERMISSIONS].sort());

    const plain = await createTestToken(actorFor(admin), { permissions: ["tokens:read"] });
    const updated = await updateToken(actorFor(admin), plain.token.id, { permissions: ["tokens:read", "tokens:admin"] });
    expect([...updated.permissions].sort()).toEqual(["tokens:admin", "tokens:read"]);
  });

  it("creating for an inactive user: invalid fieldErrors.userId, by admin and by the user themselves", async () => {
    const { admin, repTwo } = await createTestOrganization();
    const db = await getDb();
    await db.update(users).set({ active: false }).where(eq(users.id, repTwo.id));
    for (const actor of [actorFor(admin), actorFor(repTwo)]) {
      const error = await domainErrorOf(createTestToken(actor, { userId: repTwo.id }));
      expect(error.code).toBe("invalid");
      expect(error.fieldErrors.userId).toBeDefined();
    }
  });

  it("creating for an unknown user id: invalid fieldErrors.userId", async () => {
    const { admin } = await createTestOrganization();
    const error = await domainErrorOf(createTestToken(actorFor(admin), { userId: crypto.randomUUID() }));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.userId).toBeDefined();
  });
});
