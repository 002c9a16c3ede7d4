import { describe, expect, it } from "vitest";
import { revokeToken, revokeTokens } from "@/lib/tokens/revoke";
import { setTokenActive } from "@/lib/tokens/update";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { outboxOf } from "../../fixtures/notifications";
import { createTestToken, domainErrorOf } from "../../fixtures/tokens";

describe("notifications queued with the change that causes them", () => {
  it("an admin creates a token for a rep: token.created_for_you to the rep, without the value", async () => {
    const { organization, admin, repOne } = await createTestOrganization("Acme Mail");
    const { token, value } = await createTestToken(actorFor(admin), { userId: repOne.id, description: "Vendor sync" });
    const outbox = await outboxOf(organization.id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      kind: "token.created_for_you",
      recipient: repOne.email,
      recipientUserId: repOne.id,
      dedupeKey: `created:${token.id}`,
      sentAt: null,
      attempts: 0,
    });
    expect(outbox[0]?.subject).toContain("Vendor sync");
    expect(outbox[0]?.body).toContain(token.accountSid);
    expect(outbox[0]?.body).toContain("Admin, a system admin of Acme Mail");
    expect(JSON.stringify(outbox)).not.toContain(value);
  });

  it("nobody is told about their own changes: a rep's, or an admin's to their own token", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const own = await createTestToken(actorFor(repOne));
    await setTokenActive(actorFor(repOne), own.token.id, false);
    await revokeToken(actorFor(repOne), own.token.id);
    const adminsOwn = await createTestToken(actorFor(admin));
    await revokeToken(actorFor(admin), adminsOwn.token.id);
    expect(await outboxOf(organization.id)).toHaveLength(0);
  });

  it("an admin revokes a rep's token: token.revoked_by_admin with the reason", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { description: "Nightly export" });
    await revokeToken(actorFor(admin), token.id, "Vendor offboarded");
    const [mail] = await outboxOf(organization.id);
    expect(mail).toMatchObject({ kind: "token.revoked_by_admin", recipient: repOne.email });
    expect(mail?.subject).toBe("Your token “Nightly export” was revoked");
    expect(mail?.body).toContain("Reason: Vendor offboarded");
  });

  it("an admin deactivates a rep's token: token.revoked_by_admin (deactivated); reactivating sends nothing", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { description: "SMS gateway" });
    await setTokenActive(actorFor(admin), token.id, false);
    await setTokenActive(actorFor(admin), token.id, true);
    const outbox = await outboxOf(organization.id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      kind: "token.revoked_by_admin",
      recipient: repOne.email,
      subject: "Your token “SMS gateway” was deactivated",
    });
  });

  it("a bulk revoke sends one mail per owner, listing that owner's tokens", async () => {
    const { organization, admin, repOne, repTwo } = await createTestOrganization();
    const ids = [
      (await createTestToken(actorFor(repOne), { description: "One A" })).token.id,
      (await createTestToken(actorFor(repOne), { description: "One B" })).token.id,
      (await createTestToken(actorFor(repTwo), { description: "Two A" })).token.id,
    ];
    await revokeTokens(actorFor(admin), ids);
    const outbox = await outboxOf(organization.id);
    expect(outbox.map((mail) => mail.recipient).sort()).toEqual([repOne.email, repTwo.email].sort());
    const toOne = outbox.find((mail) => mail.recipient === repOne.email);
    expect(toOne?.subject).toBe("2 of your tokens were revoked");
    expect(toOne?.body).toContain("One A");
    expect(toOne?.body).toContain("One B");
    expect(toOne?.body).not.toContain("Two A");
  });

  it("a change that fails queues no mail (same transaction)", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    await revokeToken(actorFor(admin), token.id);
    const before = (await outboxOf(organization.id)).length;
    expect((await domainErrorOf(revokeToken(actorFor(admin), token.id))).code).toBe("conflict");
    expect((await domainErrorOf(createTestToken(actorFor(admin), { userId: repOne.id, permissions: ["tokens:admin"] }))).code).toBe(
      "invalid",
    );
    expect(await outboxOf(organization.id)).toHaveLength(before);
  });
});
