// @module-tag database
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { ACCOUNT_SID_TAKEN } from "@/lib/tokens/create";
import { personalAccessTokens } from "@/db/schema";
import { addDays } from "@/lib/shared/time";
import { getToken, listTokens } from "@/lib/tokens/queries";
import { NO_GRACE, regenerateToken } from "@/lib/tokens/regenerate";
import { deleteToken, revokeToken, revokeTokens } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken, domainErrorOf, tokenAuditEvents, tokenRow } from "../../fixtures/tokens";

describe("getToken", () => {
  it("admin → a rep's token by id: the token, without its value or hash", async () => {
    const { admin, repOne } = await createTestOrganization();
    const { token, value } = await createTestToken(actorFor(repOne), { description: "Payroll export" });
    const found = await getToken(actorFor(admin), token.id);
    expect(found).toMatchObject({ id: token.id, userId: repOne.id, username: "rep.one", description: "Payroll export" });
    expect(found).not.toHaveProperty("secretHash");
    expect(JSON.stringify(found)).not.toContain(value);
  });

  it("rep → own token by id: the token", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    expect((await getToken(actorFor(repOne), token.id)).id).toBe(token.id);
  });

  it("unknown or malformed id: not found", async () => {
    const { admin } = await createTestOrganization();
    expect((await domainErrorOf(getToken(actorFor(admin), "00000000-0000-4000-8000-000000000000"))).code).toBe("not_found");
    expect((await domainErrorOf(getToken(actorFor(admin), "not-a-uuid"))).code).toBe("not_found");
  });
});

describe("updateToken", () => {
  it("edits the description", async () => {
    const { admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(admin), { userId: repOne.id, description: "Before" });
    const updated = await updateToken(actorFor(admin), token.id, { description: "  After  " });
    expect(updated.description).toBe("After");
    expect((await tokenRow(token.id))?.description).toBe("After");
  });

  it("edits the permissions", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { permissions: ["orders:read"] });
    const updated = await updateToken(actorFor(repOne), token.id, { permissions: ["employees:read", "orders:read", "orders:write"] });
    expect([...updated.permissions].sort()).toEqual(["employees:read", "orders:read", "orders:write"]);
    expect([...updated.effectivePermissions].sort()).toEqual(["employees:read", "orders:read", "orders:write"]);
    expect([...((await tokenRow(token.id))?.permissions ?? [])].sort()).toEqual(["employees:read", "orders:read", "orders:write"]);
  });

  it("edits the expiration, and can remove it when the policy allows", async () => {
    const { repOne } = await createTestOrganization();
    const now = new Date();
    const { token } = await createTestToken(actorFor(repOne), { expiresAt: addDays(now, 5) }, now);
    const later = addDays(now, 45);
    expect((await updateToken(actorFor(repOne), token.id, { expiresAt: later }, now)).expiresAt).toBe(later.toISOString());
    expect((await tokenRow(token.id))?.expiresAt?.toISOString()).toBe(later.toISOString());
    expect((await updateToken(actorFor(repOne), token.id, { expiresAt: null }, now)).expiresAt).toBeNull();
  });

  it("leaves the fields it is not given unchanged", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { description: "Keep me", permissions: ["documents:read"] });
    const updated = await updateToken(actorFor(repOne), token.id, { permissions: ["documents:write"] });
    expect(updated).toMatchObject({ description: "Keep me", expiresAt: token.expiresAt, accountSid: token.accountSid });
  });

  it("after revoke, edit: conflict, and the token is unchanged", async () => {
    const { admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { description: "Revoked soon" });
    await revokeToken(actorFor(admin), token.id, "No longer needed");
    const error = await domainErrorOf(updateToken(actorFor(admin), token.id, { description: "Edited" }));
    expect(error.code).toBe("conflict");
    expect((await tokenRow(token.id))?.description).toBe("Revoked soon");
  });
});

describe("setTokenActive", () => {
  it("deactivate → inactive; reactivate → active", async () => {
    const { admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    const off = await setTokenActive(actorFor(admin), token.id, false);
    expect(off).toMatchObject({ active: false, state: "inactive" });
    expect((await tokenRow(token.id))?.active).toBe(false);
    const on = await setTokenActive(actorFor(repOne), token.id, true);
    expect(on).toMatchObject({ active: true, state: "active" });
    expect((await tokenRow(token.id))?.active).toBe(true);
  });

  it("deactivating twice: conflict", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await setTokenActive(actorFor(repOne), token.id, false);
    expect((await domainErrorOf(setTokenActive(actorFor(repOne), token.id, false))).code).toBe("conflict");
  });

  it("activating an active token: conflict", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    expect((await domainErrorOf(setTokenActive(actorFor(repOne), token.id, true))).code).toBe("conflict");
  });

  it("after revoke, reactivate: conflict", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await setTokenActive(actorFor(repOne), token.id, false);
    await revokeToken(actorFor(repOne), token.id);
    expect((await domainErrorOf(setTokenActive(actorFor(repOne), token.id, true))).code).toBe("conflict");
    expect((await tokenRow(token.id))?.active).toBe(false);
  });
});

describe("regenerateToken", () => {
  it("issues a new value for the same settings, revokes the old row and links the new one to it", async () => {
    const { admin, repOne } = await createTestOrganization();
    const original = await createTestToken(actorFor(admin), {
      userId: repOne.id,
      description: "SMS gateway",
      accountSid: "00112233445566778899aabbccddeeff",
      permissions: ["messages:send", "customers:read"],
    });
    const regenerated = await regenerateToken(actorFor(admin), original.token.id);

    expect(regenerated.value).toMatch(/^tsr_[0-9A-Za-z]{38}$/);
    expect(regenerated.value).not.toBe(original.value);
    expect(regenerated.token.id).not.toBe(original.token.id);
    expect(regenerated.token).toMatchObject({
      userId: repOne.id,
      description: "SMS gateway",
      accountSid: "00112233445566778899aabbccddeeff",
      expiresAt: original.token.expiresAt,
      active: true,
      state: "active",
      rotatedFromId: original.token.id,
    });
    expect([...regenerated.token.permissions].sort()).toEqual(["customers:read", "messages:send"]);
    expect(regenerated.token.hint).not.toBe(original.token.hint);

    const oldRow = await tokenRow(original.token.id);
    expect(oldRow?.revokedAt).toBeInstanceOf(Date);
    expect(oldRow?.revokedById).toBe(admin.id);
    const newRow = await tokenRow(regenerated.token.id);
    expect(newRow?.rotatedFromId).toBe(original.token.id);
    expect(newRow?.revokedAt).toBeNull();
    expect(newRow?.secretHash).not.toBe(oldRow?.secretHash);

    expect((await getToken(actorFor(admin), original.token.id)).state).toBe("revoked");
    const live = await listTokens(actorFor(admin), { state: "active" });
    expect(live.tokens.map((token) => token.id)).toEqual([regenerated.token.id]);
  });

  it("the old value stops working at once: its row is revoked (its hash stays, to recognise a revoked value)", async () => {
    const { repOne } = await createTestOrganization();
    const original = await createTestToken(actorFor(repOne));
    await regenerateToken(actorFor(repOne), original.token.id);
    const old = await tokenRow(original.token.id);
    expect(old?.revokedAt).toBeInstanceOf(Date);
    expect(old?.revokeReason).toBe("Regenerated");
  });

  it("keeps an inactive token inactive", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await setTokenActive(actorFor(repOne), token.id, false);
    const regenerated = await regenerateToken(actorFor(repOne), token.id);
    expect(regenerated.token).toMatchObject({ active: false, state: "inactive" });
  });

  it("an expired token gets its original lifetime again, from now", async () => {
    const { repOne } = await createTestOrganization();
    const now = new Date();
    const { token } = await createTestToken(actorFor(repOne), { expiresAt: addDays(now, 10) }, now);
    // Pretend it was created 30 days ago with a 10-day lifetime.
    const db = await getDb();
    await db
      .update(personalAccessTokens)
      .set({ createdAt: addDays(now, -30), expiresAt: addDays(now, -20) })
      .where(eq(personalAccessTokens.id, token.id));
    expect((await getToken(actorFor(repOne), token.id, now)).state).toBe("expired");

    const regenerated = await regenerateToken(actorFor(repOne), token.id, NO_GRACE, now);
    expect(regenerated.token).toMatchObject({ state: "active", expiresAt: addDays(now, 10).toISOString() });
  });

  it("regenerating a revoked token: conflict", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await regenerateToken(actorFor(repOne), token.id);
    expect((await domainErrorOf(regenerateToken(actorFor(repOne), token.id))).code).toBe("conflict");
  });
});

describe("revokeToken", () => {
  it("revokes permanently, with who and why", async () => {
    const { admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await revokeToken(actorFor(admin), token.id, "Leaked in a log");
    const row = await tokenRow(token.id);
    expect(row).toMatchObject({ revokedById: admin.id, revokeReason: "Leaked in a log" });
    expect(row?.revokedAt).toBeInstanceOf(Date);
    expect((await getToken(actorFor(repOne), token.id)).state).toBe("revoked");
  });

  it("revoking twice: conflict", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await revokeToken(actorFor(repOne), token.id);
    expect((await domainErrorOf(revokeToken(actorFor(repOne), token.id))).code).toBe("conflict");
  });

  it("a revoked token's account SID is never taken by another token of the organization", async () => {
    const { admin, repOne } = await createTestOrganization();
    const accountSid = "ffeeddccbbaa99887766554433221100";
    const { token } = await createTestToken(actorFor(admin), { userId: repOne.id, accountSid });
    await revokeToken(actorFor(admin), token.id);
    await expect(createTestToken(actorFor(admin), { accountSid })).rejects.toMatchObject({
      fieldErrors: { accountSid: [ACCOUNT_SID_TAKEN] },
    });
  });
});

describe("revokeTokens (bulk)", () => {
  it("revokes the selected tokens; another organization's id is skipped and untouched", async () => {
    const { admin, repOne, repTwo } = await createTestOrganization();
    const other = await createTestOrganization("Other Org");
    const first = await createTestToken(actorFor(repOne));
    const second = await createTestToken(actorFor(repTwo));
    const untouched = await createTestToken(actorFor(repOne));
    const foreign = await createTestToken(actorFor(other.repOne));

    const result = await revokeTokens(actorFor(admin), [first.token.id, second.token.id, foreign.token.id], "Offboarding");
    expect([...result.revoked].sort()).toEqual([first.token.id, second.token.id].sort());
    expect(result.skipped).toBe(1);

    for (const id of [first.token.id, second.token.id]) {
      expect(await tokenRow(id)).toMatchObject({ revokedById: admin.id, revokeReason: "Offboarding" });
    }
    expect((await tokenRow(untouched.token.id))?.revokedAt).toBeNull();
    const foreignRow = await tokenRow(foreign.token.id);
    expect(foreignRow).toMatchObject({ revokedAt: null, revokedById: null, revokeReason: null, active: true });
    expect(foreignRow?.updatedAt.toISOString()).toBe(foreign.token.updatedAt);
    expect(await tokenAuditEvents(other.organization.id)).toHaveLength(1);
  });

  it("already revoked, duplicate and malformed ids are skipped", async () => {
    const { repOne } = await createTestOrganization();
    const revoked = await createTestToken(actorFor(repOne));
    const live = await createTestToken(actorFor(repOne));
    await revokeToken(actorFor(repOne), revoked.token.id);
    const result = await revokeTokens(actorFor(repOne), [revoked.token.id, live.token.id, live.token.id, "nope"]);
    expect(result).toEqual({ revoked: [live.token.id], skipped: 2 });
  });

  it("an empty selection: invalid", async () => {
    const { admin } = await createTestOrganization();
    const error = await domainErrorOf(revokeTokens(actorFor(admin), []));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.ids).toBeDefined();
  });
});

describe("deleteToken", () => {
  it("removes the row; the token.deleted audit event keeps its description and account SID", async () => {
    const { admin, repOne, organization } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(admin), { userId: repOne.id, description: "Vendor sandbox" });
    await deleteToken(actorFor(admin), token.id);

    expect(await tokenRow(token.id)).toBeUndefined();
    expect((await domainErrorOf(getToken(actorFor(admin), token.id))).code).toBe("not_found");
    const deleted = (await tokenAuditEvents(organization.id)).filter((event) => event.action === "token.deleted");
    expect(deleted).toHaveLength(1);
    expect(deleted[0]).toMatchObject({ actorUserId: admin.id, targetId: token.id, targetUserId: repOne.id });
    expect(deleted[0]?.details).toMatchObject({ description: "Vendor sandbox", accountSid: token.accountSid });
  });

  it("a revoked token can still be deleted", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await revokeToken(actorFor(repOne), token.id);
    await deleteToken(actorFor(repOne), token.id);
    expect(await tokenRow(token.id)).toBeUndefined();
  });

  it("deleting twice: not found", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await deleteToken(actorFor(repOne), token.id);
    expect((await domainErrorOf(deleteToken(actorFor(repOne), token.id))).code).toBe("not_found");
  });
});
