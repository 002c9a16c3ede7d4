import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, invitations, organizations, persons, sessions, users } from "@/db/schema";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { getEnv } from "@/lib/env";
import { listOutbox } from "@/lib/notifications/outbox";
import {
  ALREADY_INVITED,
  ALREADY_MEMBER,
  USERNAME_GIVEN_AWAY,
  USERNAME_OF_INVITATION,
  USERNAME_OF_MEMBER,
  acceptInvitation,
  declineInvitation,
  listOrganizationInvitations,
  listPendingInvitations,
  withdrawInvitation,
} from "@/lib/people/invitations";
import { createRep, type CreatedRep } from "@/lib/reps/create";
import { addDays } from "@/lib/shared/time";
import { actorFor, TEST_CONTEXT } from "../../fixtures/actors";
import { createTestOrganization, TEST_PASSWORD } from "../../fixtures/organizations";
import { memberIn, signInAs } from "../../fixtures/people";
import { domainErrorOf } from "../../fixtures/tokens";

// SPEC §14: adding someone who already has an account to another organization is an invitation
// they accept on /account. Until then nothing of theirs changes; the invitation is theirs alone to
// answer, and another organization's admin cannot withdraw it. Each attack below answers exactly
// as an invitation that does not exist, and changes nothing.

/** A person who works in A (their own password, signed in), and B, whose admin invites them. */
async function invitedFromB(input: { username?: string; role?: "admin" | "rep"; now?: Date } = {}) {
  const a = await createTestOrganization("Org A");
  const b = await createTestOrganization("Org B");
  const person = a.repOne;
  const session = await signInAs(person.email);
  const created = await createRep(
    actorFor(b.admin),
    { username: input.username ?? "guest", email: person.email, displayName: "Guest", role: input.role ?? "rep" },
    input.now,
  );
  return { a, b, person, session, invitationId: invitationIdOf(created) };
}

function invitationIdOf(created: CreatedRep): string {
  if (created.kind !== "invited") throw new Error("expected an invitation");
  return created.invitation.id;
}

async function membershipsOfPerson(personId: string) {
  const db = await getDb();
  return db.select().from(users).where(eq(users.personId, personId));
}

async function invitationRow(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(invitations).where(eq(invitations.id, id));
  return row ?? null;
}

async function auditOf(organizationId: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(eq(auditEvents.organizationId, organizationId)).orderBy(asc(auditEvents.id));
}

describe("invitations — inviting changes nothing of the person", () => {
  it("inviting leaves the person's password, sessions and memberships untouched; the admin is told an invitation was sent", async () => {
    const a = await createTestOrganization("Org A");
    const b = await createTestOrganization("Org B");
    const person = a.repOne;
    const session = await signInAs(person.email);
    const db = await getDb();
    const snapshot = async () => ({
      person: (await db.select().from(persons).where(eq(persons.id, person.personId)))[0],
      sessions: await db.select().from(sessions).where(eq(sessions.personId, person.personId)),
      memberships: await membershipsOfPerson(person.personId),
    });
    const before = await snapshot();

    const created = await createRep(actorFor(b.admin), {
      username: "guest",
      email: person.email.toUpperCase(),
      displayName: "Guest",
      role: "admin",
      password: "an admin's chosen password",
    });
    expect(created).toMatchObject({ kind: "invited", invitation: { email: person.email, username: "guest", role: "admin" } });
    expect(created).not.toHaveProperty("password");
    const after = await snapshot();
    expect(after.person).toEqual(before.person);
    expect(after.memberships).toEqual(before.memberships);
    expect(after.sessions.map(({ id, endedAt, expiresAt }) => ({ id, endedAt, expiresAt }))).toEqual(
      before.sessions.map(({ id, endedAt, expiresAt }) => ({ id, endedAt, expiresAt })),
    );
    // Their own password still opens A; nothing opens B yet.
    expect(await memberIn(session, a.organization.id)).not.toBeNull();
    expect(await memberIn(session, b.organization.id)).toBeNull();
    expect(await verifyCredentials({ email: person.email, password: TEST_PASSWORD }, TEST_CONTEXT)).toMatchObject({ ok: true });

    // Audited in B as the admin's, with the change.
    const invited = (await auditOf(b.organization.id)).filter((event) => event.action === "user.invited");
    expect(invited).toHaveLength(1);
    expect(invited[0]).toMatchObject({ actorUserId: b.admin.id, details: { email: person.email, username: "guest", role: "admin" } });
    expect(JSON.stringify(invited)).not.toContain("an admin's chosen password");

    // The mail says who invited them to which organization, and where to accept; it holds no secret.
    const [mail] = (await listOutbox(actorFor(b.admin))).entries.filter((entry) => entry.recipient === person.email);
    expect(mail?.subject).toBe("Admin invited you to join Org B on Tessera");
    expect(mail?.body).toContain("Admin, a system admin of Org B, invited you to join Org B as a system admin (username guest).");
    expect(mail?.body).toContain(`${getEnv().appUrl}/account`);
    expect(mail?.body).not.toMatch(/reset-password|tsr_|#|\?/);
  });

  it("the admin sees the invitation under Pending invitations; the person sees it on /account", async () => {
    const now = new Date();
    const { b, person, invitationId } = await invitedFromB({ role: "admin", now });
    expect(await listOrganizationInvitations(actorFor(b.admin), now)).toEqual([
      expect.objectContaining({ id: invitationId, email: person.email, username: "guest", role: "admin", invitedBy: "Admin" }),
    ]);
    expect(await listPendingInvitations(person.personId, now)).toEqual([
      {
        id: invitationId,
        organizationName: "Org B",
        organizationSlug: b.organization.slug,
        username: "guest",
        role: "admin",
        invitedBy: "Admin",
        createdAt: now.toISOString(),
        expiresAt: addDays(now, 7).toISOString(),
      },
    ]);
    // Only admins see an organization's invitations.
    expect((await domainErrorOf(listOrganizationInvitations(actorFor(b.repOne)))).code).toBe("forbidden");
  });
});

describe("invitations — the person answers", () => {
  it("accepting makes the membership the invitation describes, and the person can open that organization at once", async () => {
    const { a, b, person, session, invitationId } = await invitedFromB({ role: "admin" });
    const context = { ip: "203.0.113.7", userAgent: "The person's browser" };
    expect(await acceptInvitation(session, invitationId, context)).toEqual({
      organizationName: "Org B",
      organizationSlug: b.organization.slug,
      role: "admin",
      opensNow: true,
    });
    const member = await memberIn(session, b.organization.id);
    expect(member).toMatchObject({ organizationId: b.organization.id, role: "admin", username: "guest", displayName: "Guest" });
    expect(await memberIn(session, a.organization.id)).not.toBeNull();
    expect(await invitationRow(invitationId)).toBeNull();
    expect(await listPendingInvitations(person.personId)).toEqual([]);
    // Audited in B as the new member's, without the address: B did not add the person first.
    const accepted = (await auditOf(b.organization.id)).filter((event) => event.action === "user.invitation_accepted");
    expect(accepted).toEqual([expect.objectContaining({ actorUserId: member?.id, targetUserId: member?.id, ip: null, userAgent: null })]);
    // Once is all: the invitation is gone.
    expect((await domainErrorOf(acceptInvitation(session, invitationId, TEST_CONTEXT))).code).toBe("not_found");
  });

  it("declining deletes the invitation and records nothing in the person's other organizations' audit logs", async () => {
    const { a, b, person, session, invitationId } = await invitedFromB();
    const inA = await auditOf(a.organization.id);
    expect(await declineInvitation(session, invitationId)).toEqual({ organizationName: "Org B" });
    expect(await invitationRow(invitationId)).toBeNull();
    expect(await auditOf(a.organization.id)).toEqual(inA);
    const declined = (await auditOf(b.organization.id)).filter((event) => event.action === "user.invitation_declined");
    expect(declined).toEqual([expect.objectContaining({ actorUserId: null, ip: null, userAgent: null })]);
    expect(await membershipsOfPerson(person.personId)).toHaveLength(1);
    expect(await memberIn(session, b.organization.id)).toBeNull();
    expect((await domainErrorOf(acceptInvitation(session, invitationId, TEST_CONTEXT))).code).toBe("not_found");
    // B's admin may invite them again.
    expect((await createRep(actorFor(b.admin), { username: "guest", email: person.email, displayName: "G", role: "rep" })).kind).toBe(
      "invited",
    );
  });

  it("a username the organization has since given to someone else refuses the acceptance, and nothing changes", async () => {
    const { b, person, session, invitationId } = await invitedFromB({ username: "taken.later" });
    // However it came about (an operator's script, a future rename), a member holds it now.
    const db = await getDb();
    const [other] = await db
      .insert(persons)
      .values({ email: `other-${randomUUID()}@example.test`, passwordHash: "" })
      .returning();
    if (!other) throw new Error("person insert returned no row");
    await db.insert(users).values({ organizationId: b.organization.id, personId: other.id, username: "taken.later", displayName: "Other" });

    const refused = await domainErrorOf(acceptInvitation(session, invitationId, TEST_CONTEXT));
    expect(refused).toMatchObject({ code: "conflict", message: USERNAME_GIVEN_AWAY });
    expect(await invitationRow(invitationId)).not.toBeNull();
    expect(await membershipsOfPerson(person.personId)).toHaveLength(1);
    expect((await auditOf(b.organization.id)).some((event) => event.action === "user.invitation_accepted")).toBe(false);
  });
});

describe("invitations — attacks answer as for an invitation that does not exist", () => {
  it("another person's invitation id: not found for accept and decline, and unchanged", async () => {
    const { b, person, invitationId } = await invitedFromB();
    const stranger = await createTestOrganization("Org C");
    const theirs = await signInAs(stranger.repOne.email);
    const missing = await domainErrorOf(acceptInvitation(theirs, randomUUID(), TEST_CONTEXT));
    for (const attempt of [
      () => acceptInvitation(theirs, invitationId, TEST_CONTEXT),
      () => declineInvitation(theirs, invitationId),
      // Even naming the invited person, with a session that is not theirs.
      () => acceptInvitation({ personId: person.personId, sessionId: theirs.sessionId }, invitationId, TEST_CONTEXT),
      () => declineInvitation({ personId: person.personId, sessionId: theirs.sessionId }, invitationId),
      () => acceptInvitation(theirs, "not-a-uuid", TEST_CONTEXT),
      () => declineInvitation(theirs, "' or 1=1 --"),
    ]) {
      const error = await domainErrorOf(attempt());
      expect({ code: error.code, message: error.message }).toEqual({ code: missing.code, message: missing.message });
    }
    expect(missing.code).toBe("not_found");
    expect(await invitationRow(invitationId)).not.toBeNull();
    expect(await membershipsOfPerson(stranger.repOne.personId)).toHaveLength(1);
    expect(await memberIn(theirs, b.organization.id)).toBeNull();
    expect(await listPendingInvitations(stranger.repOne.personId)).toEqual([]);
  });

  it("an ended session cannot answer the person's invitation", async () => {
    const { session, invitationId } = await invitedFromB();
    const db = await getDb();
    await db.update(sessions).set({ endedAt: new Date() }).where(eq(sessions.id, session.sessionId));
    expect((await domainErrorOf(acceptInvitation(session, invitationId, TEST_CONTEXT))).code).toBe("not_found");
    expect((await domainErrorOf(declineInvitation(session, invitationId))).code).toBe("not_found");
    expect(await invitationRow(invitationId)).not.toBeNull();
  });

  it("an expired invitation is not found, nor listed; inviting again replaces it", async () => {
    const invitedAt = new Date();
    const { b, person, session, invitationId } = await invitedFromB({ now: invitedAt });
    const later = addDays(invitedAt, 8);
    // Sessions last hours, not days: a fresh one answers at the later time.
    const fresh = { ...session, sessionId: await liveSessionUntil(person.personId, addDays(later, 1)) };
    expect((await domainErrorOf(acceptInvitation(fresh, invitationId, TEST_CONTEXT, later))).code).toBe("not_found");
    expect((await domainErrorOf(declineInvitation(fresh, invitationId, later))).code).toBe("not_found");
    expect(await listPendingInvitations(person.personId, later)).toEqual([]);
    expect(await listOrganizationInvitations(actorFor(b.admin), later)).toEqual([]);
    expect(await memberIn(session, b.organization.id)).toBeNull();

    const again = invitationIdOf(
      await createRep(actorFor(b.admin), { username: "guest", email: person.email, displayName: "Guest", role: "rep" }, later),
    );
    expect(again).not.toBe(invitationId);
    const db = await getDb();
    const rows = await db
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.organizationId, b.organization.id), eq(invitations.personId, person.personId)));
    expect(rows).toEqual([{ id: again }]);
    expect((await auditOf(b.organization.id)).filter((event) => event.action === "user.invited")).toHaveLength(2);
  });

  it("an inactive organization's invitation is neither listed nor accepted", async () => {
    const { b, person, session, invitationId } = await invitedFromB();
    const db = await getDb();
    await db.update(organizations).set({ active: false }).where(eq(organizations.id, b.organization.id));
    expect(await listPendingInvitations(person.personId)).toEqual([]);
    expect((await domainErrorOf(acceptInvitation(session, invitationId, TEST_CONTEXT))).code).toBe("not_found");
    expect(await membershipsOfPerson(person.personId)).toHaveLength(1);
  });

  it("withdrawing: another organization's admin gets not found and changes nothing; a rep is refused; the inviting admin withdraws", async () => {
    const { b, person, invitationId } = await invitedFromB();
    const other = await createTestOrganization("Org C");
    const missing = await domainErrorOf(withdrawInvitation(actorFor(other.admin), randomUUID()));
    const attempt = await domainErrorOf(withdrawInvitation(actorFor(other.admin), invitationId));
    expect({ code: attempt.code, message: attempt.message }).toEqual({ code: "not_found", message: missing.message });
    expect((await domainErrorOf(withdrawInvitation(actorFor(other.admin), "not-a-uuid"))).code).toBe("not_found");
    expect((await domainErrorOf(withdrawInvitation(actorFor(b.repOne), invitationId))).code).toBe("forbidden");
    expect(await invitationRow(invitationId)).not.toBeNull();
    expect(await auditOf(other.organization.id)).not.toContainEqual(expect.objectContaining({ action: "user.invitation_withdrawn" }));

    expect(await withdrawInvitation(actorFor(b.admin), invitationId)).toEqual({ email: person.email });
    expect(await listPendingInvitations(person.personId)).toEqual([]);
    const withdrawn = (await auditOf(b.organization.id)).filter((event) => event.action === "user.invitation_withdrawn");
    expect(withdrawn).toEqual([expect.objectContaining({ actorUserId: b.admin.id, targetId: invitationId })]);
  });
});

describe("invitations — usernames and duplicates", () => {
  it("a username held by a pending invitation is taken, for a new person and for another invitation alike", async () => {
    const { a, b, person } = await invitedFromB({ username: "shared.name" });
    const fresh = { username: "shared.name", email: `fresh-${randomUUID()}@example.test`, displayName: "Fresh", role: "rep" };
    const forNew = await domainErrorOf(createRep(actorFor(b.admin), fresh));
    expect(forNew.fieldErrors).toEqual({ username: [USERNAME_OF_INVITATION] });
    const forInvite = await domainErrorOf(createRep(actorFor(b.admin), { ...fresh, email: a.repTwo.email }));
    expect(forInvite.fieldErrors).toEqual({ username: [USERNAME_OF_INVITATION] });
    // A member's username refuses an invitation as it refuses a new member.
    const forMember = await domainErrorOf(createRep(actorFor(b.admin), { ...fresh, username: b.repOne.username, email: a.repTwo.email }));
    expect(forMember.fieldErrors).toEqual({ username: [USERNAME_OF_MEMBER] });
    // Nothing was made by the refusals.
    expect(await membershipsOfPerson(a.repTwo.personId)).toHaveLength(1);
    expect(await listPendingInvitations(a.repTwo.personId)).toEqual([]);
    expect(await listPendingInvitations(person.personId)).toHaveLength(1);
  });

  it("inviting someone already invited, or already a member, is refused on the e-mail field", async () => {
    const { a, b, person, session, invitationId } = await invitedFromB();
    // Under another username, or the one the invitation holds.
    for (const username of ["another", "guest"]) {
      const again = await domainErrorOf(createRep(actorFor(b.admin), { username, email: person.email, displayName: "G", role: "rep" }));
      expect(again.fieldErrors).toEqual({ email: [ALREADY_INVITED] });
    }
    await acceptInvitation(session, invitationId, TEST_CONTEXT);
    const member = await domainErrorOf(
      createRep(actorFor(b.admin), { username: "another", email: person.email, displayName: "G", role: "rep" }),
    );
    expect(member.fieldErrors).toEqual({ email: [ALREADY_MEMBER] });
    const ownOrganization = await domainErrorOf(
      createRep(actorFor(a.admin), { username: "again", email: person.email, displayName: "G", role: "rep" }),
    );
    expect(ownOrganization.fieldErrors).toEqual({ email: [ALREADY_MEMBER] });
  });

  it("two admins inviting two people under one username at once: one invitation holds it", async () => {
    const a = await createTestOrganization("Org A");
    const b = await createTestOrganization("Org B");
    const secondAdmin = await createRep(actorFor(b.admin), {
      username: "second.admin",
      email: `second-${randomUUID()}@example.test`,
      displayName: "Second",
      role: "admin",
    });
    if (secondAdmin.kind !== "member") throw new Error("expected a new member");
    const second = actorFor({ id: secondAdmin.rep.id, organizationId: b.organization.id, role: "admin" });
    const results = await Promise.allSettled([
      createRep(actorFor(b.admin), { username: "same", email: a.repOne.email, displayName: "One", role: "rep" }),
      createRep(second, { username: "same", email: a.repTwo.email, displayName: "Two", role: "rep" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await listOrganizationInvitations(actorFor(b.admin))).toHaveLength(1);
  });
});

/** A live session of the person that lasts until `until`, for answering at a later (test) time. */
async function liveSessionUntil(personId: string, until: Date): Promise<string> {
  const db = await getDb();
  const [row] = await db.insert(sessions).values({ personId, expiresAt: until }).returning({ id: sessions.id });
  if (!row) throw new Error("session insert returned no row");
  return row.id;
}
