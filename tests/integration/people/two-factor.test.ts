import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, persons, sessions } from "@/db/schema";
import { findSessionMember, findSessionMembership } from "@/lib/auth/session-store";
import { verifyCredentials, verifySecondFactor, type SignInResult } from "@/lib/auth/sign-in";
import { signInTicket } from "@/lib/auth/sign-in-ticket";
import { totpCode } from "@/lib/auth/totp";
import { getEnv } from "@/lib/env";
import { updateTwoFactorPolicy } from "@/lib/organizations/two-factor-policy";
import { changeOwnPassword } from "@/lib/people/change-password";
import { beginTotpSetup, disableTotp, enableTotp, regenerateRecoveryCodes } from "@/lib/people/two-factor";
import { actorFor, TEST_CONTEXT } from "../../fixtures/actors";
import { createTestOrganization, TEST_PASSWORD } from "../../fixtures/organizations";
import { domainErrorOf } from "../../fixtures/tokens";

// SPEC §14: a second factor at sign-in — the authenticator app (TOTP) and recovery codes — and the
// organization policy that requires one. Attacks first: brute force, replay, reuse, another
// person's setup or ticket, a ticket that outlives its password.

type Member = { personId: string; email: string; organizationId: string };

async function signedIn(member: Member) {
  const result = await verifyCredentials({ email: member.email, password: TEST_PASSWORD }, TEST_CONTEXT);
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return { ...result.identity, email: member.email };
}

/** Turns the authenticator app on for the member, as /account does; returns its secret and recovery codes. */
async function withTotp(member: Member, at = new Date()) {
  const session = await signedIn(member);
  const setup = beginTotpSetup(session);
  const codes = await enableTotp(
    session,
    { pending: setup.pending, code: await totpCode(setup.secret, at), currentPassword: TEST_PASSWORD },
    TEST_CONTEXT,
    at,
  );
  return { secret: setup.secret, codes, session };
}

/** The password step of a sign-in for a person with a second factor: its ticket. */
async function ticketFor(member: Member): Promise<string> {
  const result = await verifyCredentials({ email: member.email, password: TEST_PASSWORD }, TEST_CONTEXT);
  if (result.ok || result.reason !== "second_factor_required") throw new Error(`expected the code step, got ${JSON.stringify(result)}`);
  return result.ticket;
}

const reasonOf = (result: SignInResult) => (result.ok ? "ok" : result.reason);

/** A time a few steps from now, so codes of one test never collide with the replay guard of another step. */
const stepsFromNow = (steps: number) => new Date(Date.now() + steps * 30_000);

describe("Authenticator app (/account)", () => {
  it("turns on only with a code from the app and the current password; audited; ten recovery codes, once", async () => {
    const { organization, repOne } = await createTestOrganization();
    const session = await signedIn(repOne);
    const setup = beginTotpSetup(session);
    const code = await totpCode(setup.secret);

    const wrongPassword = await domainErrorOf(enableTotp(session, { pending: setup.pending, code, currentPassword: "nope" }, TEST_CONTEXT));
    expect(wrongPassword.fieldErrors.currentPassword).toEqual(["Incorrect password."]);
    const wrongCode = await domainErrorOf(
      enableTotp(
        session,
        { pending: setup.pending, code: code === "000000" ? "111111" : "000000", currentPassword: TEST_PASSWORD },
        TEST_CONTEXT,
      ),
    );
    expect(wrongCode.fieldErrors.code?.[0]).toMatch(/does not match/);
    const db = await getDb();
    const [before] = await db.select({ enabledAt: persons.totpEnabledAt }).from(persons).where(eq(persons.id, repOne.personId));
    expect(before?.enabledAt).toBeNull();

    const codes = await enableTotp(session, { pending: setup.pending, code, currentPassword: TEST_PASSWORD }, TEST_CONTEXT);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const recovery of codes) expect(recovery).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    // Stored sealed, never in the clear.
    const [after] = await db.select({ secret: persons.totpSecret }).from(persons).where(eq(persons.id, repOne.personId));
    expect(after?.secret).not.toContain(setup.secret);
    const events = await db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, organization.id), eq(auditEvents.action, "person.two_factor_enabled")));
    expect(events).toEqual([{ details: { method: "totp" } }]);
  });

  it("turning it on ends every other session: one signed in with the password alone (a thief's, maybe) is out", async () => {
    const { organization, repOne } = await createTestOrganization();
    const elsewhere = await signedIn(repOne);
    const { session } = await withTotp(repOne);
    expect(await findSessionMember(elsewhere, organization.slug)).toBeNull();
    expect(await findSessionMember(session, organization.slug)).not.toBeNull();
  });

  it("a setup keeps fifteen minutes", async () => {
    const { repOne } = await createTestOrganization();
    const session = await signedIn(repOne);
    const setup = beginTotpSetup(session);
    const later = new Date(Date.now() + 16 * 60_000);
    const expired = await domainErrorOf(
      enableTotp(
        session,
        { pending: setup.pending, code: await totpCode(setup.secret, later), currentPassword: TEST_PASSWORD },
        TEST_CONTEXT,
        later,
      ),
    );
    expect(expired.message).toMatch(/expired/);
  });

  it("a setup sealed for another person, or altered, turns nothing on", async () => {
    const { repOne, repTwo } = await createTestOrganization();
    const mine = await signedIn(repOne);
    const theirs = beginTotpSetup(await signedIn(repTwo));
    const code = await totpCode(theirs.secret);
    const stolen = await domainErrorOf(enableTotp(mine, { pending: theirs.pending, code, currentPassword: TEST_PASSWORD }, TEST_CONTEXT));
    expect(stolen.message).toMatch(/expired/);
    const own = beginTotpSetup(mine);
    const altered = `${own.pending.slice(0, -2)}${own.pending.endsWith("A") ? "B" : "A"}A`;
    expect(
      (await domainErrorOf(enableTotp(mine, { pending: altered, code, currentPassword: TEST_PASSWORD }, TEST_CONTEXT))).message,
    ).toMatch(/expired/);
  });
});

describe("Signing in with a second factor", () => {
  it("the password alone signs nobody in; the code does, once (a replayed code is refused)", async () => {
    const { organization, repOne } = await createTestOrganization();
    const { secret } = await withTotp(repOne, stepsFromNow(-2));
    const now = new Date();
    const code = await totpCode(secret, now);

    const ticket = await ticketFor(repOne);
    const copy = await ticketFor(repOne);
    const first = await verifySecondFactor({ code }, ticket, TEST_CONTEXT, now);
    if (!first.ok) throw new Error(`refused: ${first.reason}`);
    expect(await findSessionMember(first.identity, organization.slug)).not.toBeNull();
    // The sign-in spent its ticket, and every other ticket of the person with it, whatever the code.
    const next = stepsFromNow(3);
    expect(reasonOf(await verifySecondFactor({ code: await totpCode(secret, next) }, ticket, TEST_CONTEXT, next))).toBe("ticket_expired");
    expect(reasonOf(await verifySecondFactor({ code: await totpCode(secret, next) }, copy, TEST_CONTEXT, next))).toBe("ticket_expired");
    // The same code, overheard, with a fresh ticket of its own: refused.
    expect(reasonOf(await verifySecondFactor({ code }, await ticketFor(repOne), TEST_CONTEXT, now))).toBe("invalid_code");
    // The next step's code works.
    const later = stepsFromNow(1);
    expect(reasonOf(await verifySecondFactor({ code: await totpCode(secret, later) }, await ticketFor(repOne), TEST_CONTEXT, later))).toBe(
      "ok",
    );
  });

  it("a recovery code works once; its use is audited with how many are left", async () => {
    const { organization, repOne } = await createTestOrganization();
    const { codes } = await withTotp(repOne);
    const [recovery] = codes;
    if (!recovery) throw new Error("no recovery code");
    expect(reasonOf(await verifySecondFactor({ code: recovery.toUpperCase() }, await ticketFor(repOne), TEST_CONTEXT))).toBe("ok");
    expect(reasonOf(await verifySecondFactor({ code: recovery }, await ticketFor(repOne), TEST_CONTEXT))).toBe("invalid_code");
    const db = await getDb();
    const events = await db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, organization.id), eq(auditEvents.action, "person.recovery_code_used")));
    expect(events).toEqual([{ details: { remaining: 9 } }]);
  });

  it("no ticket, a made-up one, another step's and one whose password changed since are all refused", async () => {
    const { repOne, repTwo } = await createTestOrganization();
    const { secret, session } = await withTotp(repOne, stepsFromNow(-2));
    const code = await totpCode(secret);
    expect(reasonOf(await verifySecondFactor({ code }, undefined, TEST_CONTEXT))).toBe("ticket_expired");
    expect(reasonOf(await verifySecondFactor({ code }, "a.b.c", TEST_CONTEXT))).toBe("ticket_expired");
    // A ticket is the server's: one for another person is not forged by knowing their id.
    const expired = signInTicket({ id: repOne.personId, passwordHash: "x", lastSignInAt: null }, new Date(Date.now() - 10 * 60_000));
    expect(reasonOf(await verifySecondFactor({ code }, expired, TEST_CONTEXT))).toBe("ticket_expired");
    // A ticket of rep two carries rep two's sign-in only: rep one's code does nothing for it.
    await withTotp(repTwo, stepsFromNow(-2));
    expect(reasonOf(await verifySecondFactor({ code }, await ticketFor(repTwo), TEST_CONTEXT))).toBe("invalid_code");

    const ticket = await ticketFor(repOne);
    await changeOwnPassword(
      session,
      { currentPassword: TEST_PASSWORD, password: "a brand new passphrase", confirmation: "a brand new passphrase" },
      TEST_CONTEXT,
    );
    expect(reasonOf(await verifySecondFactor({ code }, ticket, TEST_CONTEXT))).toBe("ticket_expired");
  });

  it("guessing codes is limited per person like passwords: after the limit even the right code waits", async () => {
    const { repOne } = await createTestOrganization();
    const { secret } = await withTotp(repOne, stepsFromNow(-2));
    const code = await totpCode(secret);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let attempt = 0; attempt < getEnv().signInFailuresPerMinute; attempt++) {
      expect(reasonOf(await verifySecondFactor({ code: wrong }, await ticketFor(repOne), TEST_CONTEXT))).toBe("invalid_code");
    }
    // From another address too: the limit is the person's.
    const elsewhere = { ...TEST_CONTEXT, ip: "198.51.100.23" };
    expect(reasonOf(await verifySecondFactor({ code }, await ticketFor(repOne), elsewhere))).toBe("rate_limited");
  });

  it("turning the app off takes the current password; then the password alone signs in again", async () => {
    const { repOne } = await createTestOrganization();
    const { session } = await withTotp(repOne);
    const refused = await domainErrorOf(disableTotp(session, { currentPassword: "guess" }, TEST_CONTEXT));
    expect(refused.fieldErrors.currentPassword).toEqual(["Incorrect password."]);
    expect(reasonOf(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, TEST_CONTEXT))).toBe(
      "second_factor_required",
    );
    await disableTotp(session, { currentPassword: TEST_PASSWORD }, TEST_CONTEXT);
    expect(reasonOf(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, TEST_CONTEXT))).toBe("ok");
  });

  it("new recovery codes replace the old ones", async () => {
    const { repOne } = await createTestOrganization();
    const { codes, session } = await withTotp(repOne);
    const fresh = await regenerateRecoveryCodes(session, { currentPassword: TEST_PASSWORD }, TEST_CONTEXT);
    expect(reasonOf(await verifySecondFactor({ code: codes[0] ?? "" }, await ticketFor(repOne), TEST_CONTEXT))).toBe("invalid_code");
    expect(reasonOf(await verifySecondFactor({ code: fresh[0] ?? "" }, await ticketFor(repOne), TEST_CONTEXT))).toBe("ok");
  });
});

describe("Require two-factor authentication (organization policy)", () => {
  it("an admin without a second factor cannot turn it on (it would lock them out); with one they can", async () => {
    const { organization, admin } = await createTestOrganization();
    const refused = await domainErrorOf(updateTwoFactorPolicy(actorFor(admin), "admins"));
    expect(refused.fieldErrors.twoFactorPolicy?.[0]).toMatch(/Set up two-factor authentication on your account page first/);
    expect(await domainErrorOf(updateTwoFactorPolicy(actorFor(admin), "sometimes"))).toMatchObject({ code: "invalid" });
    await withTotp(admin);
    expect(await updateTwoFactorPolicy(actorFor(admin), "admins")).toEqual({ changed: true });
    const db = await getDb();
    const events = await db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, organization.id), eq(auditEvents.action, "policy.updated")));
    expect(events).toEqual([{ details: { changes: { twoFactorPolicy: { from: "off", to: "admins" } } } }]);
  });

  it("closes the console to those it names until they have a second factor; reps are untouched by 'admins'", async () => {
    const { organization, admin, repOne, repTwo } = await createTestOrganization();
    const adminSession = (await withTotp(admin)).session;
    const repSession = await signedIn(repOne);
    await updateTwoFactorPolicy(actorFor(admin), "admins");
    expect(await findSessionMember(adminSession, organization.slug)).not.toBeNull();
    expect(await findSessionMember(repSession, organization.slug)).not.toBeNull();

    await updateTwoFactorPolicy(actorFor(admin), "everyone");
    expect(await findSessionMember(repSession, organization.slug)).toBeNull();
    expect(await findSessionMembership(repSession, organization.slug)).toEqual({
      kind: "second_factor_required",
      organizationName: organization.name,
    });
    // A rep with an authenticator app opens it, in the session where they set it up.
    const withApp = await withTotp(repTwo);
    expect(await findSessionMember(withApp.session, organization.slug)).not.toBeNull();
    // A session that never proved a second factor (one from before this release) does not, though the person has one.
    const db = await getDb();
    await db.update(sessions).set({ secondFactorAt: null }).where(eq(sessions.id, withApp.session.sessionId));
    expect(await findSessionMembership(withApp.session, organization.slug)).toMatchObject({ kind: "second_factor_required" });
  });
});
