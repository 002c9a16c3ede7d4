// @module-tag database
import { describe, expect, it } from "vitest";
import type { AuditEvent } from "@/db/schema";
import { addDays } from "@/lib/shared/time";
import { regenerateToken } from "@/lib/tokens/regenerate";
import { deleteToken, revokeToken, revokeTokens } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { actorFor, TEST_CONTEXT } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { auditEventCount, createTestToken, domainErrorOf, tokenAuditEvents } from "../../fixtures/tokens";

/** Runs a change and returns the audit events it wrote (every kind, not just token events). */
async function eventsWrittenBy(organizationId: string, change: () => Promise<unknown>): Promise<AuditEvent[]> {
  const before = new Set((await tokenAuditEvents(organizationId)).map((event) => event.id));
  const countBefore = await auditEventCount(organizationId);
  await change();
  const written = (await tokenAuditEvents(organizationId)).filter((event) => !before.has(event.id));
  expect(await auditEventCount(organizationId)).toBe(countBefore + written.length);
  return written;
}

function onlyEvent(events: AuditEvent[]): AuditEvent {
  expect(events).toHaveLength(1);
  const [event] = events;
  if (!event) throw new Error("expected one audit event");
  return event;
}

describe("audit — one event per change, in the change's transaction", () => {
  it("token.created: by the admin, for the rep's token, with its settings", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    let id = "";
    const events = await eventsWrittenBy(organization.id, async () => {
      id = (await createTestToken(actorFor(admin), { userId: repOne.id, description: "Created" })).token.id;
    });
    const event = onlyEvent(events);
    expect(event).toMatchObject({
      action: "token.created",
      actorUserId: admin.id,
      actorTokenId: null,
      targetType: "token",
      targetId: id,
      targetUserId: repOne.id,
      ip: TEST_CONTEXT.ip,
      userAgent: TEST_CONTEXT.userAgent,
    });
    expect(event.details).toMatchObject({ description: "Created", userId: repOne.id });
  });

  it("token.updated: details.changes.<field> carries from/to for each changed field only", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const now = new Date();
    const oldExpiry = addDays(now, 5);
    const newExpiry = addDays(now, 25);
    const { token } = await createTestToken(
      actorFor(repOne),
      { description: "Old", permissions: ["orders:read"], expiresAt: oldExpiry },
      now,
    );

    const event = onlyEvent(
      await eventsWrittenBy(organization.id, () =>
        updateToken(
          actorFor(admin),
          token.id,
          { description: "New", permissions: ["orders:read", "orders:write"], expiresAt: newExpiry },
          now,
        ),
      ),
    );
    expect(event).toMatchObject({ action: "token.updated", actorUserId: admin.id, targetId: token.id, targetUserId: repOne.id });
    expect(event.details).toEqual({
      changes: {
        description: { from: "Old", to: "New" },
        permissions: { from: ["orders:read"], to: ["orders:read", "orders:write"] },
        expiresAt: { from: oldExpiry.toISOString(), to: newExpiry.toISOString() },
      },
    });

    const descriptionOnly = onlyEvent(
      await eventsWrittenBy(organization.id, () => updateToken(actorFor(repOne), token.id, { description: "Newer" })),
    );
    expect(descriptionOnly.details).toEqual({ changes: { description: { from: "New", to: "Newer" } } });
  });

  it("an edit that changes nothing writes no event", async () => {
    const { organization, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { description: "Same", permissions: ["orders:read", "orders:write"] });
    const events = await eventsWrittenBy(organization.id, () =>
      updateToken(actorFor(repOne), token.id, { description: "Same", permissions: ["orders:write", "orders:read"] }),
    );
    expect(events).toEqual([]);
  });

  it("token.deactivated and token.activated, with the active change", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    const off = onlyEvent(await eventsWrittenBy(organization.id, () => setTokenActive(actorFor(admin), token.id, false)));
    expect(off).toMatchObject({ action: "token.deactivated", actorUserId: admin.id, targetId: token.id });
    expect(off.details).toEqual({ changes: { active: { from: true, to: false } } });
    const on = onlyEvent(await eventsWrittenBy(organization.id, () => setTokenActive(actorFor(repOne), token.id, true)));
    expect(on).toMatchObject({ action: "token.activated", actorUserId: repOne.id, targetId: token.id });
    expect(on.details).toEqual({ changes: { active: { from: false, to: true } } });
  });

  it("token.regenerated: targets the new token and names the one it replaced", async () => {
    const { organization, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    let newId = "";
    const event = onlyEvent(
      await eventsWrittenBy(organization.id, async () => {
        newId = (await regenerateToken(actorFor(repOne), token.id)).token.id;
      }),
    );
    expect(event).toMatchObject({ action: "token.regenerated", actorUserId: repOne.id, targetId: newId, targetUserId: repOne.id });
    expect(event.details).toMatchObject({ rotatedFromId: token.id });
  });

  it("token.revoked: with the reason", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne));
    const event = onlyEvent(await eventsWrittenBy(organization.id, () => revokeToken(actorFor(admin), token.id, "Leaked")));
    expect(event).toMatchObject({ action: "token.revoked", actorUserId: admin.id, targetId: token.id, targetUserId: repOne.id });
    expect(event.details).toMatchObject({ reason: "Leaked" });
  });

  it("bulk revoke: one token.revoked per revoked token, none for skipped ids", async () => {
    const { organization, admin, repOne, repTwo } = await createTestOrganization();
    const first = await createTestToken(actorFor(repOne));
    const second = await createTestToken(actorFor(repTwo));
    const already = await createTestToken(actorFor(repTwo));
    await revokeToken(actorFor(admin), already.token.id);
    const events = await eventsWrittenBy(organization.id, () =>
      revokeTokens(actorFor(admin), [first.token.id, second.token.id, already.token.id, crypto.randomUUID()]),
    );
    expect(events.map((event) => event.action)).toEqual(["token.revoked", "token.revoked"]);
    expect(events.map((event) => event.targetId).sort()).toEqual([first.token.id, second.token.id].sort());
    expect(events.every((event) => event.actorUserId === admin.id)).toBe(true);
  });

  it("token.deleted: by the actor, for the deleted token", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(repOne), { description: "To delete" });
    const event = onlyEvent(await eventsWrittenBy(organization.id, () => deleteToken(actorFor(admin), token.id)));
    expect(event).toMatchObject({ action: "token.deleted", actorUserId: admin.id, targetId: token.id, targetUserId: repOne.id });
    expect(event.details).toMatchObject({ description: "To delete", accountSid: token.accountSid });
  });

  it("a token's whole life: exactly one event per change", async () => {
    const { organization, admin, repOne } = await createTestOrganization();
    const { token } = await createTestToken(actorFor(admin), { userId: repOne.id });
    await updateToken(actorFor(admin), token.id, { description: "Renamed" });
    await setTokenActive(actorFor(admin), token.id, false);
    await setTokenActive(actorFor(admin), token.id, true);
    const successor = await regenerateToken(actorFor(admin), token.id);
    await revokeToken(actorFor(admin), successor.token.id);
    await deleteToken(actorFor(admin), successor.token.id);

    const events = await tokenAuditEvents(organization.id);
    // Compared as a set: two changes may share a millisecond, so occurredAt alone cannot order them.
    expect(events.map((event) => `${event.action} ${event.targetId}`).sort()).toEqual(
      [
        `token.created ${token.id}`,
        `token.updated ${token.id}`,
        `token.deactivated ${token.id}`,
        `token.activated ${token.id}`,
        `token.regenerated ${successor.token.id}`,
        `token.revoked ${successor.token.id}`,
        `token.deleted ${successor.token.id}`,
      ].sort(),
    );
    expect(events.every((event) => event.actorUserId === admin.id && event.organizationId === organization.id)).toBe(true);
  });
});

describe("audit — a refused change writes no event", () => {
  it.each([
    ["create with invalid input", "invalid"],
    ["create for another rep", "invalid"],
    ["edit with an admin-only permission", "invalid"],
    ["edit with a past expiration", "invalid"],
    ["edit of another rep's token", "not_found"],
    ["deactivate of another rep's token", "not_found"],
    ["regenerate of another rep's token", "not_found"],
    ["revoke of another rep's token", "not_found"],
    ["delete of another rep's token", "not_found"],
    ["deactivate twice", "conflict"],
    ["edit after revoke", "conflict"],
  ] as const)("%s: %s, audit count unchanged", async (name, code) => {
    const { organization, repOne, repTwo } = await createTestOrganization();
    const rep = actorFor(repOne);
    const mine = await createTestToken(rep);
    const theirs = await createTestToken(actorFor(repTwo));
    const inactive = await createTestToken(rep);
    await setTokenActive(rep, inactive.token.id, false);
    const revoked = await createTestToken(rep);
    await revokeToken(rep, revoked.token.id);

    const attempts: Record<typeof name, () => Promise<unknown>> = {
      "create with invalid input": () => createTestToken(rep, { description: "" }),
      "create for another rep": () => createTestToken(rep, { userId: repTwo.id }),
      "edit with an admin-only permission": () => updateToken(rep, mine.token.id, { permissions: ["audit:read"] }),
      "edit with a past expiration": () => updateToken(rep, mine.token.id, { expiresAt: addDays(new Date(), -1) }),
      "edit of another rep's token": () => updateToken(rep, theirs.token.id, { description: "Mine now" }),
      "deactivate of another rep's token": () => setTokenActive(rep, theirs.token.id, false),
      "regenerate of another rep's token": () => regenerateToken(rep, theirs.token.id),
      "revoke of another rep's token": () => revokeToken(rep, theirs.token.id),
      "delete of another rep's token": () => deleteToken(rep, theirs.token.id),
      "deactivate twice": () => setTokenActive(rep, inactive.token.id, false),
      "edit after revoke": () => updateToken(rep, revoked.token.id, { description: "Too late" }),
    };

    const before = await auditEventCount(organization.id);
    expect((await domainErrorOf(attempts[name]())).code).toBe(code);
    expect(await auditEventCount(organization.id)).toBe(before);
  });
});
