import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, notifications } from "@/db/schema";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { changeOwnPassword, mailOwnPasswordLink } from "@/lib/people/change-password";
import { createResetLink, resetPasswordWithLink } from "@/lib/people/password-reset";
import { createRep } from "@/lib/reps/create";
import { actorFor, TEST_CONTEXT } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { acceptAs, memberIn, personIdOf } from "../../fixtures/people";
import { domainErrorOf } from "../../fixtures/tokens";

// SPEC §14: a person's password is their own. "Change password" on /account asks for the current
// one and ends every other session; a password an admin set stays that admin's organization's until
// the person chooses their own through a link mailed to them.

const ADMIN_SET = "Set-By-Acme-Admin-42";
const OWN = "my very own passphrase";

/** A person an admin of A created (the password opens A alone), whom B's admin then invited and who accepted. */
async function personInTwo() {
  const a = await createTestOrganization("A");
  const b = await createTestOrganization("B");
  const email = `two-${crypto.randomUUID().slice(0, 8)}@people.test`;
  await createRep(actorFor(a.admin), { username: "two", email, displayName: "Two", role: "rep", password: ADMIN_SET });
  const invited = await createRep(actorFor(b.admin), { username: "two", email, displayName: "Two", role: "rep" });
  await acceptAs(await personIdOf(email), b.organization.id, invited);
  const signIn = async (password: string) => {
    const result = await verifyCredentials({ email, password }, TEST_CONTEXT);
    if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
    return result.identity;
  };
  return { a, b, email, signIn };
}

describe("Change password (/account)", () => {
  it("a password an admin set stays that organization's when changed; other sessions end, this one goes on; audited in each", async () => {
    const { a, b, signIn } = await personInTwo();
    const here = await signIn(ADMIN_SET);
    const elsewhere = await signIn(ADMIN_SET);
    expect(await memberIn(here, b.organization.id)).toBeNull();

    // Acme's admin knows ADMIN_SET and could type it here as well as the person: the new password
    // opens Acme alone, as the old one did, and B stays closed to whoever changed it.
    expect(await changeOwnPassword(here, { currentPassword: ADMIN_SET, password: OWN, confirmation: OWN }, TEST_CONTEXT)).toEqual({
      scopedTo: a.organization.id,
    });
    expect(await memberIn(here, a.organization.id)).not.toBeNull();
    expect(await memberIn(here, b.organization.id)).toBeNull();
    expect(await memberIn(elsewhere, a.organization.id)).toBeNull();
    await expect(signIn(ADMIN_SET)).rejects.toThrow(/invalid_credentials/);
    expect(await memberIn(await signIn(OWN), b.organization.id)).toBeNull();

    const db = await getDb();
    for (const organization of [a, b]) {
      const events = await db
        .select({ details: auditEvents.details })
        .from(auditEvents)
        .where(and(eq(auditEvents.organizationId, organization.organization.id), eq(auditEvents.action, "person.password_changed")));
      expect(events).toEqual([{ details: { via: "account" } }]);
    }
  });

  it("a password of one's own comes through a link mailed to the person (at most one each ten minutes), and opens every organization", async () => {
    const { a, b, email, signIn } = await personInTwo();
    const here = await signIn(ADMIN_SET);
    expect(await mailOwnPasswordLink(here)).toBe(true);
    expect(await mailOwnPasswordLink(here)).toBe(false);
    const db = await getDb();
    const mails = await db
      .select({ recipient: notifications.recipient, recipientUserId: notifications.recipientUserId, body: notifications.body })
      .from(notifications)
      .where(and(eq(notifications.organizationId, a.organization.id), eq(notifications.kind, "person.password_reset")));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.recipient).toBe(email);
    // As it leaves, the mail gets its link (lib/notifications/delivery.ts); here, the same link made directly.
    const link = await createResetLink(db, mails[0]?.recipientUserId ?? "");
    const secret = link?.split("#")[1] ?? "";
    const mine = "chosen in my own mailbox";
    await resetPasswordWithLink({ secret, password: mine, confirmation: mine }, TEST_CONTEXT);
    const own = await signIn(mine);
    expect(await memberIn(own, a.organization.id)).not.toBeNull();
    expect(await memberIn(own, b.organization.id)).not.toBeNull();
    // Their own now: nothing more to mail, and changing it keeps it theirs.
    expect(await mailOwnPasswordLink(own)).toBe(false);
    expect(await changeOwnPassword(own, { currentPassword: mine, password: OWN, confirmation: OWN }, TEST_CONTEXT)).toEqual({
      scopedTo: null,
    });
    expect(await memberIn(await signIn(OWN), b.organization.id)).not.toBeNull();
  });

  it("a wrong current password, or a new one that is too short or mistyped, changes nothing", async () => {
    const { signIn } = await personInTwo();
    const session = await signIn(ADMIN_SET);
    const wrong = await domainErrorOf(
      changeOwnPassword(session, { currentPassword: "guess", password: OWN, confirmation: OWN }, TEST_CONTEXT),
    );
    expect(wrong.fieldErrors).toEqual({ currentPassword: ["Incorrect password."] });
    const short = await domainErrorOf(
      changeOwnPassword(session, { currentPassword: ADMIN_SET, password: "short", confirmation: "short" }, TEST_CONTEXT),
    );
    expect(short.fieldErrors.password?.length).toBeGreaterThan(0);
    const mistyped = await domainErrorOf(
      changeOwnPassword(session, { currentPassword: ADMIN_SET, password: OWN, confirmation: `${OWN}!` }, TEST_CONTEXT),
    );
    expect(mistyped.fieldErrors).toEqual({ confirmation: ["The passwords do not match."] });
    // Still the old password, and the session goes on.
    expect(await signIn(ADMIN_SET)).toBeDefined();
  });

  it("guesses of the current password are limited per session", async () => {
    const { signIn } = await personInTwo();
    const session = await signIn(ADMIN_SET);
    const answers: string[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const error = await domainErrorOf(
        changeOwnPassword(session, { currentPassword: `guess-${attempt}`, password: OWN, confirmation: OWN }, TEST_CONTEXT),
      );
      answers.push(error.fieldErrors.currentPassword?.[0] ?? "");
    }
    expect(answers.at(-1)).toBe("Too many failed attempts. Wait a minute, then try again.");
    // Even the right password waits now: the attempts are spent.
    const right = await domainErrorOf(
      changeOwnPassword(session, { currentPassword: ADMIN_SET, password: OWN, confirmation: OWN }, TEST_CONTEXT),
    );
    expect(right.fieldErrors.currentPassword).toEqual(["Too many failed attempts. Wait a minute, then try again."]);
  });
});
