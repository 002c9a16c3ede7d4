// @module-tag database
import { describe, expect, it } from "vitest";
import { DomainError } from "@/lib/shared/errors";
import { listTokens } from "@/lib/tokens/queries";
import { regenerateToken } from "@/lib/tokens/regenerate";
import { revokeTokens } from "@/lib/tokens/revoke";
import { setTokenActive } from "@/lib/tokens/update";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken, tokenAuditEvents } from "../../fixtures/tokens";

/** The outcome of each operation: "ok" or the DomainError code (anything else is rethrown as a bug). */
async function outcomes(operations: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(operations);
  return settled.map((result) => {
    if (result.status === "fulfilled") return "ok";
    if (result.reason instanceof DomainError) return result.reason.code;
    throw result.reason;
  });
}

describe("concurrent changes to one token serialize", () => {
  it("two deactivations at once: one succeeds, one conflicts, one audit event", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    const results = await outcomes([setTokenActive(actorFor(admin), token.id, false), setTokenActive(actorFor(repOne), token.id, false)]);
    expect(results.sort()).toEqual(["conflict", "ok"]);
    const events = (await tokenAuditEvents(organization.id)).filter((event) => event.action === "token.deactivated");
    expect(events).toHaveLength(1);
  });

  it("two regenerations at once: one new token, the other conflicts", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    const results = await outcomes([regenerateToken(actorFor(admin), token.id), regenerateToken(actorFor(repOne), token.id)]);
    expect(results.sort()).toEqual(["conflict", "ok"]);
    expect((await listTokens(actorFor(admin), { state: "active" })).total).toBe(1);
    expect((await tokenAuditEvents(organization.id)).filter((event) => event.action === "token.regenerated")).toHaveLength(1);
  });

  it("two creations with the same account SID at once: one token, the other invalid accountSid", async () => {
    const { admin, repOne, repTwo } = await createTestOrganization();
    const accountSid = "5eed5eed5eed5eed5eed5eed5eed5eed";
    const attempts = [
      createTestToken(actorFor(admin), { userId: repOne.id, accountSid }),
      createTestToken(actorFor(admin), { userId: repTwo.id, accountSid }),
    ];
    expect((await outcomes(attempts)).sort()).toEqual(["invalid", "ok"]);
    expect((await listTokens(actorFor(admin), { search: accountSid })).total).toBe(1);
  });

  it("two bulk revokes of the same tokens at once: each token is revoked, and audited, once", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const ids = [(await createTestToken(actorFor(repOne))).token.id, (await createTestToken(actorFor(repOne))).token.id];
    const [first, second] = await Promise.all([revokeTokens(actorFor(admin), ids), revokeTokens(actorFor(repOne), ids)]);
    expect([...(first?.revoked ?? []), ...(second?.revoked ?? [])].sort()).toEqual([...ids].sort());
    expect((first?.skipped ?? 0) + (second?.skipped ?? 0)).toBe(2);
    expect((await tokenAuditEvents(organization.id)).filter((event) => event.action === "token.revoked")).toHaveLength(2);
  });
});
