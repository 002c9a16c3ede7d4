import { describe, expect, it } from "vitest";
import { addDays } from "@/lib/shared/time";
import { updateToken } from "@/lib/tokens/update";
import type { CreateTokenInput } from "@/lib/validation/token";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { auditEventCount, createTestToken, domainErrorOf, setPolicy, tokenRow } from "../../fixtures/tokens";

describe("token policy", () => {
  it("requireExpiration=true and expiresAt null: invalid fieldErrors.expiresAt", async () => {
    const { organization, repOne } = await createTestOrganization();
    await setPolicy(organization.id, { requireExpiration: true });
    const error = await domainErrorOf(createTestToken(actorFor(repOne), { expiresAt: null }));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.expiresAt).toBeDefined();
  });

  it("requireExpiration=true: editing a token to never expire is refused", async () => {
    const { organization, repOne } = await createTestOrganization();
    const now = new Date();
    const { token } = await createTestToken(actorFor(repOne), { expiresAt: addDays(now, 7) }, now);
    await setPolicy(organization.id, { requireExpiration: true });
    const error = await domainErrorOf(updateToken(actorFor(repOne), token.id, { expiresAt: null }, now));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.expiresAt).toBeDefined();
    expect((await tokenRow(token.id))?.expiresAt?.toISOString()).toBe(token.expiresAt);
  });

  it("maxLifetimeDays=30 and expiresAt 60 days out: invalid fieldErrors.expiresAt", async () => {
    const { organization, admin } = await createTestOrganization();
    await setPolicy(organization.id, { maxLifetimeDays: 30 });
    const now = new Date();
    const error = await domainErrorOf(createTestToken(actorFor(admin), { expiresAt: addDays(now, 60) }, now));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.expiresAt).toBeDefined();
  });

  it("maxLifetimeDays=30: 30 days out is allowed, no expiration is not, and edits are held to it too", async () => {
    const { organization, repOne } = await createTestOrganization();
    await setPolicy(organization.id, { maxLifetimeDays: 30 });
    const now = new Date();
    const { token } = await createTestToken(actorFor(repOne), { expiresAt: addDays(now, 30) }, now);
    expect(token.expiresAt).toBe(addDays(now, 30).toISOString());
    expect((await domainErrorOf(createTestToken(actorFor(repOne), { expiresAt: null }, now))).fieldErrors.expiresAt).toBeDefined();
    const edited = await domainErrorOf(updateToken(actorFor(repOne), token.id, { expiresAt: addDays(now, 60) }, now));
    expect(edited.code).toBe("invalid");
    expect(edited.fieldErrors.expiresAt).toBeDefined();
  });

  it("expiresAt undefined: the organization's default lifetime applies", async () => {
    const { organization, repOne } = await createTestOrganization();
    const now = new Date();
    const byDefault = await createTestToken(actorFor(repOne), { expiresAt: undefined }, now);
    expect(byDefault.token.expiresAt).toBe(addDays(now, 30).toISOString());

    await setPolicy(organization.id, { defaultLifetimeDays: 14 });
    const custom = await createTestToken(actorFor(repOne), {}, now);
    expect(custom.token.expiresAt).toBe(addDays(now, 14).toISOString());
  });

  it("expiresAt undefined with a default above the maximum: the maximum applies", async () => {
    const { organization, repOne } = await createTestOrganization();
    await setPolicy(organization.id, { defaultLifetimeDays: 90, maxLifetimeDays: 20 });
    const now = new Date();
    const { token } = await createTestToken(actorFor(repOne), {}, now);
    expect(token.expiresAt).toBe(addDays(now, 20).toISOString());
  });

  it("expiresAt undefined with no default: no expiration", async () => {
    const { organization, repOne } = await createTestOrganization();
    await setPolicy(organization.id, { defaultLifetimeDays: null });
    const { token } = await createTestToken(actorFor(repOne));
    expect(token.expiresAt).toBeNull();
  });

  it("expiresAt in the past (or now): invalid fieldErrors.expiresAt, on create and on edit", async () => {
    const { repOne } = await createTestOrganization();
    const now = new Date();
    for (const expiresAt of [addDays(now, -1), now]) {
      const error = await domainErrorOf(createTestToken(actorFor(repOne), { expiresAt }, now));
      expect(error.code).toBe("invalid");
      expect(error.fieldErrors.expiresAt).toBeDefined();
    }
    const { token } = await createTestToken(actorFor(repOne), {}, now);
    const edited = await domainErrorOf(updateToken(actorFor(repOne), token.id, { expiresAt: addDays(now, -1) }, now));
    expect(edited.fieldErrors.expiresAt).toBeDefined();
  });

  it("an invalid date: invalid fieldErrors.expiresAt", async () => {
    const { repOne } = await createTestOrganization();
    const error = await domainErrorOf(createTestToken(actorFor(repOne), { expiresAt: new Date(Number.NaN) }));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.expiresAt).toBeDefined();
  });
});

describe("token field rules", () => {
  it.each([
    ["empty", ""],
    ["blank", "   "],
    ["201 characters", "x".repeat(201)],
  ])("description %s: invalid fieldErrors.description", async (_name, description) => {
    const { repOne, organization } = await createTestOrganization();
    const auditBefore = await auditEventCount(organization.id);
    const error = await domainErrorOf(createTestToken(actorFor(repOne), { description }));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.description).toBeDefined();
    expect(await auditEventCount(organization.id)).toBe(auditBefore);
  });

  it("description of exactly 200 characters is accepted", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { description: "y".repeat(200) });
    expect(token.description).toHaveLength(200);
  });

  it("editing the description to empty or 201 characters: invalid", async () => {
    const { repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { description: "Original" });
    for (const description of ["", "z".repeat(201)]) {
      const error = await domainErrorOf(updateToken(actorFor(repOne), token.id, { description }));
      expect(error.code).toBe("invalid");
      expect(error.fieldErrors.description).toBeDefined();
    }
    expect((await tokenRow(token.id))?.description).toBe("Original");
  });

  it.each([
    ["31 hex characters", "0123456789abcdef0123456789abcde"],
    ["33 hex characters", "0123456789abcdef0123456789abcdef0"],
    ["a non-hex character", "0123456789abcdef0123456789abcdeg"],
    ["a uuid with dashes", "01234567-89ab-cdef-0123-456789abcdef"],
    ["an empty string", ""],
  ])("account SID with %s: invalid fieldErrors.accountSid", async (_name, accountSid) => {
    const { admin } = await createTestOrganization();
    const error = await domainErrorOf(createTestToken(actorFor(admin), { accountSid }));
    expect(error.code).toBe("invalid");
    expect(error.fieldErrors.accountSid).toBeDefined();
  });

  it("permissions empty or unknown: invalid fieldErrors.permissions", async () => {
    const { repOne } = await createTestOrganization();
    const empty = await domainErrorOf(createTestToken(actorFor(repOne), { permissions: [] }));
    expect(empty.fieldErrors.permissions).toBeDefined();
    // A caller outside TypeScript (a form post) can send anything.
    const forged = JSON.parse('{"permissions":["root:all"]}') as Partial<CreateTokenInput>;
    const unknown = await domainErrorOf(createTestToken(actorFor(repOne), forged));
    expect(unknown.fieldErrors.permissions).toBeDefined();
  });

  it("duplicate account SID in the same organization: invalid fieldErrors.accountSid, whatever the case", async () => {
    const { admin, repOne, repTwo, organization } = await createTestOrganization();
    const accountSid = "c0ffee00c0ffee00c0ffee00c0ffee00";
    await createTestToken(actorFor(admin), { userId: repOne.id, accountSid });
    const auditBefore = await auditEventCount(organization.id);
    for (const duplicate of [accountSid, accountSid.toUpperCase()]) {
      const error = await domainErrorOf(createTestToken(actorFor(admin), { userId: repTwo.id, accountSid: duplicate }));
      expect(error.code).toBe("invalid");
      expect(error.fieldErrors.accountSid).toBeDefined();
    }
    expect(await auditEventCount(organization.id)).toBe(auditBefore);
  });

  it("the same account SID in another organization is allowed", async () => {
    const home = await createTestOrganization();
    const other = await createTestOrganization("Other Org");
    const accountSid = "0badc0de0badc0de0badc0de0badc0de";
    const first = await createTestToken(actorFor(home.admin), { accountSid });
    const second = await createTestToken(actorFor(other.admin), { accountSid });
    expect(first.token.accountSid).toBe(accountSid);
    expect(second.token.accountSid).toBe(accountSid);
  });
});
