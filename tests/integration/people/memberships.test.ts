import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as listTokensRoute } from "@/app/api/v1/tokens/route";
import { GET as getMe } from "@/app/api/v1/me/route";
import { getDb } from "@/db";
import { auditEvents, persons, sessions } from "@/db/schema";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { runJobsPass } from "@/lib/jobs/run-pass";
import { listOutbox } from "@/lib/notifications/outbox";
import { RESET_LINK_PLACEHOLDER } from "@/lib/notifications/messages";
import { resetPasswordWithLink } from "@/lib/people/password-reset";
import { createRep } from "@/lib/reps/create";
import { listReps } from "@/lib/reps/queries";
import { resetRepPassword } from "@/lib/reps/reset-password";
import { updateRep } from "@/lib/reps/update";
import { verifyToken } from "@/lib/tokens/verify";
import { actorFor, TEST_CONTEXT } from "../../fixtures/actors";
import { callRoute } from "../../fixtures/api";
import { recordingTransport } from "../../fixtures/notifications";
import { createTestOrganization, TEST_PASSWORD } from "../../fixtures/organizations";
import { acceptAs, createPersonInTwoOrganizations, memberIn, newMember, signInAs } from "../../fixtures/people";
import { createTestToken, domainErrorOf } from "../../fixtures/tokens";

// SPEC §10: one person, one e-mail and password, a membership per organization with its own
// role and active flag. Every case below is an attempt to carry something of one organization
// into the other.

describe("people in several organizations — one sign-in, a membership each", () => {
  it("an admin adds a person Tessera knows by e-mail: an invitation and a mail, no password handed over; accepted, a membership", async () => {
    const { b, inA, inB, invited } = await createPersonInTwoOrganizations();
    expect(invited.kind).toBe("invited");
    expect(invited).not.toHaveProperty("password");
    expect(inB.personId).toBe(inA.personId);
    expect(inB).toMatchObject({ organizationId: b.organization.id, role: "admin", username: "consultant" });
    // Their own password still signs them in; the admin never chose it.
    expect(await verifyCredentials({ email: inA.email, password: TEST_PASSWORD }, TEST_CONTEXT)).toMatchObject({ ok: true });
    const mail = (await listOutbox(actorFor(b.admin))).entries.filter((entry) => entry.kind === "membership.added");
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ recipient: inA.email, subject: "Admin invited you to join Org B on Tessera" });
    expect(mail[0]?.body).toContain("/account");
    // Adding them again, now a member, is refused on the e-mail field, and changes nothing.
    const again = await domainErrorOf(createRep(actorFor(b.admin), { username: "again", email: inA.email, displayName: "X", role: "rep" }));
    expect(again.fieldErrors.email).toEqual(["This person is already a member of your organization."]);
  });

  it("one session works in both organizations, each with that organization's role; nowhere else", async () => {
    const { a, b, inA, inB } = await createPersonInTwoOrganizations();
    const stranger = await createTestOrganization("Org C");
    const session = await signInAs(inA.email);
    expect(await memberIn(session, a.organization.id)).toMatchObject({ id: inA.id, role: "rep", organizationSlug: a.organization.slug });
    expect(await memberIn(session, b.organization.id)).toMatchObject({ id: inB.id, role: "admin", organizationSlug: b.organization.slug });
    // An organization the person is not in answers exactly as one that does not exist.
    expect(await memberIn(session, stranger.organization.id)).toBeNull();
    // The sign-in is in each organization's audit log, as its own member's.
    const db = await getDb();
    for (const member of [inA, inB]) {
      const events = await db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.organizationId, member.organizationId),
            eq(auditEvents.action, "sign_in.succeeded"),
            eq(auditEvents.actorUserId, member.id),
          ),
        );
      expect(events).toHaveLength(1);
    }
  });

  it("an admin sees and manages only their organization's membership, never the person's others", async () => {
    const { a, b, inA, inB } = await createPersonInTwoOrganizations();
    const repsOfB = await listReps(actorFor(b.admin));
    expect(repsOfB.map((rep) => rep.id)).toContain(inB.id);
    expect(repsOfB.map((rep) => rep.id)).not.toContain(inA.id);
    expect(JSON.stringify(repsOfB)).not.toContain(a.organization.id);
    // B's admin cannot touch the person's membership in A: it is not found in B.
    // Each attempt starts only when awaited, so none rejects unobserved.
    for (const attempt of [
      () => updateRep(actorFor(b.admin), inA.id, { active: false }),
      () => updateRep(actorFor(b.admin), inA.id, { role: "admin" }),
      () => resetRepPassword(actorFor(b.admin), inA.id),
    ]) {
      expect((await domainErrorOf(attempt())).code).toBe("not_found");
    }
  });

  it("deactivating the membership in one organization stops it there at once and leaves the other working", async () => {
    const { a, b, inA, inB } = await createPersonInTwoOrganizations();
    const tokenA = await createTestToken(actorFor(inA), { permissions: ["tokens:read"] });
    const tokenB = await createTestToken(actorFor(inB), { permissions: ["tokens:read"] });
    const session = await signInAs(inA.email);

    await updateRep(actorFor(a.admin), inA.id, { active: false });
    expect(await memberIn(session, a.organization.id)).toBeNull();
    expect(await memberIn(session, b.organization.id)).toMatchObject({ id: inB.id, role: "admin" });
    expect(await verifyToken(tokenA.value)).toMatchObject({ ok: false, reason: "owner_inactive" });
    expect(await verifyToken(tokenB.value)).toMatchObject({ ok: true });
    // The session lives on for B; signing in again works too, and still not in A.
    const db = await getDb();
    const [row] = await db.select().from(sessions).where(eq(sessions.id, session.sessionId));
    expect(row?.endedAt).toBeNull();
    const again = await signInAs(inA.email);
    expect(await memberIn(again, a.organization.id)).toBeNull();

    // Deactivated in B too, the person works nowhere: sessions end, and sign-in is refused.
    await updateRep(actorFor(b.admin), inB.id, { active: false });
    expect(await memberIn(session, b.organization.id)).toBeNull();
    const [ended] = await db.select().from(sessions).where(eq(sessions.id, session.sessionId));
    expect(ended?.endedAt).toBeInstanceOf(Date);
    expect(await verifyCredentials({ email: inA.email, password: TEST_PASSWORD }, TEST_CONTEXT)).toEqual({
      ok: false,
      reason: "inactive_user",
    });
    // Reactivating B revives no old session, but the person signs in again.
    await updateRep(actorFor(b.admin), inB.id, { active: true });
    expect(await memberIn(session, b.organization.id)).toBeNull();
    expect(await memberIn(await signInAs(inA.email), b.organization.id)).not.toBeNull();
  });

  it("the last-admin guard is per organization: the person's admin role elsewhere does not count", async () => {
    const { b, inB } = await createPersonInTwoOrganizations();
    await updateRep(actorFor(inB), b.admin.id, { role: "rep" });
    const refused = await domainErrorOf(updateRep(actorFor(inB), inB.id, { active: false }));
    expect(refused.code).toBe("conflict");
  });

  it("a token of one membership reaches nothing of the other organization through the API", async () => {
    const { a, b, inA, inB } = await createPersonInTwoOrganizations();
    const inBsToken = await createTestToken(actorFor(inB), { permissions: ["tokens:read", "tokens:admin"] });
    const inAsToken = await createTestToken(actorFor(inA), { description: "only in A" });
    const me = await (await callRoute(getMe, { token: inBsToken.value })).json();
    expect(me.organization).toEqual({ id: b.organization.id, slug: b.organization.slug });
    expect(me.user.id).toBe(inB.id);
    // B's admin token lists B's tokens; the same person's token in A is not among them.
    const listed = await (await callRoute(listTokensRoute, { token: inBsToken.value, path: "/api/v1/tokens?limit=100" })).json();
    const ids = (listed.data as { id: string }[]).map((token) => token.id);
    expect(ids).toContain(inBsToken.token.id);
    expect(ids).not.toContain(inAsToken.token.id);
    expect(JSON.stringify(listed)).not.toContain(a.organization.id);
  });
});

describe("people in several organizations — passwords are the person's", () => {
  it("an admin's reset of a person in one organization sets the password, as before", async () => {
    const { admin, repOne } = await createTestOrganization();
    expect(await resetRepPassword(actorFor(admin), repOne.id)).toMatchObject({ kind: "issued" });
  });

  it("an admin cannot set the password of a person who also belongs elsewhere: the person is mailed a one-time link instead", async () => {
    const { b, inA, inB } = await createPersonInTwoOrganizations();
    const session = await signInAs(inA.email);
    const db = await getDb();
    const [before] = await db.select().from(persons).where(eq(persons.id, inA.personId));

    // A typed password is refused outright, and changes nothing.
    const typed = await domainErrorOf(resetRepPassword(actorFor(b.admin), inB.id, "an admin's chosen password"));
    expect(typed.fieldErrors.password).toBeDefined();
    expect(await resetRepPassword(actorFor(b.admin), inB.id)).toEqual({ kind: "mailed", username: "consultant" });
    const [after] = await db.select().from(persons).where(eq(persons.id, inA.personId));
    expect(after?.passwordHash).toBe(before?.passwordHash);
    expect(await memberIn(session, b.organization.id)).not.toBeNull();

    // The outbox, which B's admins read, holds no link: it is made as the mail leaves.
    const [queued] = (await listOutbox(actorFor(b.admin))).entries.filter((entry) => entry.kind === "person.password_reset");
    expect(queued?.body).toContain(RESET_LINK_PLACEHOLDER);
    expect(queued?.body).not.toMatch(/reset-password#/);
    const transport = recordingTransport();
    await runJobsPass({ organizationId: b.organization.id, transport });
    const sent = transport.sent.find((mail) => mail.subject === "Set a new Tessera password");
    const secret = sent?.text.match(/\/reset-password#([A-Za-z0-9_-]+)/)?.[1];
    if (!secret) throw new Error("the sent mail carries no link");
    expect((await listOutbox(actorFor(b.admin))).entries.some((entry) => entry.body.includes(secret))).toBe(false);

    // Mismatched confirmation: nothing changes, and the link still works after.
    const mismatch = await domainErrorOf(
      resetPasswordWithLink({ secret, password: "a new passphrase!", confirmation: "another" }, TEST_CONTEXT),
    );
    expect(mismatch.fieldErrors.confirmation).toBeDefined();
    await resetPasswordWithLink({ secret, password: "the person's own new one", confirmation: "the person's own new one" }, TEST_CONTEXT);
    expect(await verifyCredentials({ email: inA.email, password: "the person's own new one" }, TEST_CONTEXT)).toMatchObject({ ok: true });
    expect(await verifyCredentials({ email: inA.email, password: TEST_PASSWORD }, TEST_CONTEXT)).toMatchObject({ ok: false });
    // Whoever had the old password is signed out everywhere.
    expect(await memberIn(session, b.organization.id)).toBeNull();
    // The link works once; a forged one never.
    const reused = await domainErrorOf(
      resetPasswordWithLink({ secret, password: "yet another passphrase", confirmation: "yet another passphrase" }, TEST_CONTEXT),
    );
    expect(reused.message).toMatch(/expired or was already used/);
    const forged = await domainErrorOf(
      resetPasswordWithLink(
        { secret: "x".repeat(43), password: "yet another passphrase", confirmation: "yet another passphrase" },
        TEST_CONTEXT,
      ),
    );
    expect(forged.message).toMatch(/expired or was already used/);
  });

  it("a reset link expires after an hour", async () => {
    const { b, inB } = await createPersonInTwoOrganizations();
    await resetRepPassword(actorFor(b.admin), inB.id);
    const transport = recordingTransport();
    await runJobsPass({ organizationId: b.organization.id, transport });
    const secret = transport.sent.map((mail) => mail.text.match(/\/reset-password#([A-Za-z0-9_-]+)/)?.[1]).find(Boolean);
    if (!secret) throw new Error("the sent mail carries no link");
    const later = new Date(Date.now() + 61 * 60 * 1000);
    const expired = await domainErrorOf(
      resetPasswordWithLink({ secret, password: "too late a passphrase", confirmation: "too late a passphrase" }, TEST_CONTEXT, later),
    );
    expect(expired.message).toMatch(/expired/);
  });
});

/** The secret of the reset link in the last reset mail sent by a jobs pass of this organization. */
async function mailedResetSecret(organizationId: string): Promise<{ secret: string; text: string }> {
  const transport = recordingTransport();
  await runJobsPass({ organizationId, transport });
  const text = transport.sent.filter((mail) => mail.subject === "Set a new Tessera password").at(-1)?.text ?? "";
  const secret = text.match(/\/reset-password#([A-Za-z0-9_-]+)/)?.[1];
  if (!secret) throw new Error("no reset mail with a link was sent");
  return { secret, text };
}

describe("people in several organizations — what an admin of one organization knows opens no other", () => {
  // Security review, third round (issue 24, finding 2): adding a person to another organization
  // ended their sessions and blanked the password their first organization's admin had set, and
  // that admin could no longer set one: without a mail server the lockout was permanent.
  it("a password an admin set (or squatted) opens that admin's organization alone; another organization's joining changes nothing of the person's", async () => {
    const a = await createTestOrganization("Squatter");
    const b = await createTestOrganization("Victim");
    const email = `cfo-${Date.now()}@victim.test`;
    const squatted = "Attacker-Chosen-Pass-42";
    const inA = newMember(
      await createRep(actorFor(a.admin), { username: "cfo", email, displayName: "CFO", role: "rep", password: squatted }),
    );
    const squatterSession = await verifyCredentials({ email, password: squatted }, TEST_CONTEXT);
    if (!squatterSession.ok) throw new Error("the squatter could not sign in");

    const invited = await createRep(actorFor(b.admin), { username: "cfo", email, displayName: "CFO", role: "admin" });
    expect(invited.kind).toBe("invited");
    // Whoever holds the account accepts (SPEC §14); the membership in B exists from then on.
    const inB = await acceptAs(squatterSession.identity.personId, b.organization.id, invited);
    // The session goes on in A, and the password still opens A — and only A.
    expect(await memberIn(squatterSession.identity, a.organization.id)).not.toBeNull();
    expect(await memberIn(squatterSession.identity, b.organization.id)).toBeNull();
    const again = await verifyCredentials({ email, password: squatted }, TEST_CONTEXT);
    if (!again.ok) throw new Error("the password no longer signs in");
    expect(await memberIn(again.identity, b.organization.id)).toBeNull();
    // A's admin can still give their member a way back in; B's admin cannot set what opens A.
    expect(await resetRepPassword(actorFor(a.admin), inA.rep.id)).toMatchObject({ kind: "issued" });
    expect(await resetRepPassword(actorFor(b.admin), inB.id)).toMatchObject({ kind: "mailed" });
    // The mailbox's owner chooses their own password with the link: it opens both, and joining a
    // third organization leaves it alone.
    const { secret } = await mailedResetSecret(b.organization.id);
    await resetPasswordWithLink(
      { secret, password: "the owner's own passphrase", confirmation: "the owner's own passphrase" },
      TEST_CONTEXT,
    );
    const c = await createTestOrganization("Third");
    await acceptAs(
      squatterSession.identity.personId,
      c.organization.id,
      await createRep(actorFor(c.admin), { username: "cfo", email, displayName: "CFO", role: "rep" }),
    );
    const owner = await verifyCredentials({ email, password: "the owner's own passphrase" }, TEST_CONTEXT);
    if (!owner.ok) throw new Error("the owner could not sign in");
    for (const organization of [a, b, c]) expect(await memberIn(owner.identity, organization.organization.id)).not.toBeNull();
    // Their own password is no admin's to replace any more.
    expect(await resetRepPassword(actorFor(a.admin), inA.rep.id)).toMatchObject({ kind: "mailed" });
  });

  it("a password an admin reset and saw opens that organization alone, whatever the person joins later", async () => {
    const a = await createTestOrganization("Resetter");
    const b = await createTestOrganization("Joined");
    const issued = await resetRepPassword(actorFor(a.admin), a.repOne.id);
    if (issued.kind !== "issued") throw new Error("expected an issued password");
    const invited = await createRep(actorFor(b.admin), { username: "joined", email: a.repOne.email, displayName: "Joined", role: "rep" });
    await acceptAs(a.repOne.personId, b.organization.id, invited);
    const signedIn = await verifyCredentials({ email: a.repOne.email, password: issued.password }, TEST_CONTEXT);
    if (!signedIn.ok) throw new Error("the reset password does not sign in");
    expect(await memberIn(signedIn.identity, a.organization.id)).not.toBeNull();
    expect(await memberIn(signedIn.identity, b.organization.id)).toBeNull();
  });

  it("a display name cannot carry a line of the reset mail, nor move its link", async () => {
    const a = await createTestOrganization("Mailer");
    const placeholderName = `Kevin, open https://evil.example/reset?to=${RESET_LINK_PLACEHOLDER}`;
    const multiline = await domainErrorOf(
      createRep(actorFor(a.admin), {
        username: "kev",
        email: "kev@mail.test",
        displayName: "Kevin\n\nOpen https://evil.example",
        role: "rep",
      }),
    );
    expect(multiline.fieldErrors.displayName).toEqual(["Use one line of text, without control characters."]);
    const { inB, b } = await createPersonInTwoOrganizations();
    await updateRep(actorFor(b.admin), inB.id, { displayName: placeholderName });
    await resetRepPassword(actorFor(b.admin), inB.id);
    const { secret, text } = await mailedResetSecret(b.organization.id);
    // The link stands on its own line; the name's copy of the placeholder stays words.
    expect(text).toContain(`\n  http`);
    expect(text).toContain(`https://evil.example/reset?to=${RESET_LINK_PLACEHOLDER}`);
    expect(text.split(secret)).toHaveLength(2);
  });

  it("a newer reset link does not cancel an older one; using either spends both", async () => {
    const { b, inB } = await createPersonInTwoOrganizations();
    await resetRepPassword(actorFor(b.admin), inB.id);
    const first = await mailedResetSecret(b.organization.id);
    await resetRepPassword(actorFor(b.admin), inB.id);
    const second = await mailedResetSecret(b.organization.id);
    expect(second.secret).not.toBe(first.secret);
    await resetPasswordWithLink(
      { secret: first.secret, password: "the first link's one", confirmation: "the first link's one" },
      TEST_CONTEXT,
    );
    const spent = await domainErrorOf(
      resetPasswordWithLink(
        { secret: second.secret, password: "the second link's one", confirmation: "the second link's one" },
        TEST_CONTEXT,
      ),
    );
    expect(spent.message).toMatch(/expired or was already used/);
  });

  it("an organization that added the person later does not learn where they sign in from", async () => {
    const { a, b, inA, inB } = await createPersonInTwoOrganizations();
    const context = { ip: "203.0.113.9", userAgent: "Consultant's browser" };
    await verifyCredentials({ email: inA.email, password: TEST_PASSWORD }, context);
    await verifyCredentials({ email: inA.email, password: "a wrong password" }, context);
    const db = await getDb();
    const eventsOf = (organizationId: string, userId: string) =>
      db
        .select({ action: auditEvents.action, ip: auditEvents.ip, userAgent: auditEvents.userAgent })
        .from(auditEvents)
        .where(and(eq(auditEvents.organizationId, organizationId), eq(auditEvents.targetId, userId)));
    const inDefault = (await eventsOf(a.organization.id, inA.id)).filter((event) => event.action.startsWith("sign_in"));
    const inLater = (await eventsOf(b.organization.id, inB.id)).filter((event) => event.action.startsWith("sign_in"));
    expect(inDefault.map((event) => event.ip)).toEqual(["203.0.113.9", "203.0.113.9"]);
    expect(inLater.map((event) => event.action).sort()).toEqual(["sign_in.failed", "sign_in.succeeded"]);
    expect(inLater.every((event) => event.ip === null && event.userAgent === null)).toBe(true);
  });
});
