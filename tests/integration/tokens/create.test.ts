// @module-tag database
import { describe, expect, it } from "vitest";
import { getToken } from "@/lib/tokens/queries";
import { addDays } from "@/lib/shared/time";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken, tokenRow } from "../../fixtures/tokens";

const TOKEN_VALUE = /^tsr_[0-9A-Za-z]{38}$/;
const ACCOUNT_SID = /^[0-9a-f]{32}$/;

describe("createToken", () => {
  it("admin → token for a rep: owned by the rep, created by the admin, value shown once", async () => {
    const { admin, repOne } = await createTestOrganization();
    const { token, value } = await createTestToken(actorFor(admin), {
      userId: repOne.id,
      description: "Assessment vendor",
      permissions: ["assessments:read", "assessments:write", "employees:read"],
    });

    expect(value).toMatch(TOKEN_VALUE);
    expect(token).toMatchObject({
      userId: repOne.id,
      username: "rep.one",
      description: "Assessment vendor",
      active: true,
      state: "active",
      revokedAt: null,
      rotatedFromId: null,
    });
    expect([...token.permissions].sort()).toEqual(["assessments:read", "assessments:write", "employees:read"]);
    expect(token.hint.startsWith(value.slice(0, 8))).toBe(true);
    expect(token.hint.endsWith(value.slice(-4))).toBe(true);
    expect(JSON.stringify(token)).not.toContain(value);

    const row = await tokenRow(token.id);
    expect(row).toMatchObject({ userId: repOne.id, createdById: admin.id, organizationId: repOne.organizationId });
    expect(row?.secretHash).not.toContain(value);
  });

  it("rep → token for self, without naming a user", async () => {
    const { repOne } = await createTestOrganization();
    const { token, value } = await createTestToken(actorFor(repOne), { description: "My script" });
    expect(value).toMatch(TOKEN_VALUE);
    expect(token).toMatchObject({ userId: repOne.id, description: "My script", state: "active" });
    expect((await tokenRow(token.id))?.createdById).toBe(repOne.id);
  });

  it("rep → token for self, naming themselves", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { userId: repOne.id });
    expect(token.userId).toBe(repOne.id);
  });

  it("blank account SID: one is generated, 32 lowercase hex, different for every token", async () => {
    const { admin } = await createTestOrganization();
    const first = await createTestToken(actorFor(admin), { accountSid: undefined });
    const second = await createTestToken(actorFor(admin));
    expect(first.token.accountSid).toMatch(ACCOUNT_SID);
    expect(second.token.accountSid).toMatch(ACCOUNT_SID);
    expect(first.token.accountSid).not.toBe(second.token.accountSid);
  });

  it("typed account SID is normalized to lowercase and trimmed", async () => {
    const { admin, repTwo } = await createTestOrganization();
    const typed = "  0123456789ABCDEF0123456789ABCDEF ";
    const { token } = await createTestToken(actorFor(admin), { userId: repTwo.id, accountSid: typed });
    expect(token.accountSid).toBe("0123456789abcdef0123456789abcdef");
    expect((await tokenRow(token.id))?.accountSid).toBe("0123456789abcdef0123456789abcdef");
  });

  it("description is trimmed and duplicate permissions are stored once", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), {
      description: "  CI job  ",
      permissions: ["orders:read", "orders:read", "orders:write"],
    });
    expect(token.description).toBe("CI job");
    expect([...token.permissions].sort()).toEqual(["orders:read", "orders:write"]);
  });

  it("explicit expiration is kept; null means no expiration when the policy allows it", async () => {
    const { repOne } = await createTestOrganization();
    const now = new Date();
    const expiresAt = addDays(now, 10);
    const dated = await createTestToken(actorFor(repOne), { expiresAt }, now);
    const forever = await createTestToken(actorFor(repOne), { expiresAt: null }, now);
    expect(dated.token.expiresAt).toBe(expiresAt.toISOString());
    expect(forever.token.expiresAt).toBeNull();
  });

  it("every created token gets a distinct value and the token can be read back", async () => {
    const { repOne } = await createTestOrganization();
    const actor = actorFor(repOne);
    const created = await Promise.all([createTestToken(actor), createTestToken(actor), createTestToken(actor)]);
    expect(new Set(created.map((c) => c.value)).size).toBe(3);
    for (const { token } of created) {
      expect(await getToken(actor, token.id)).toEqual(token);
    }
  });
});
