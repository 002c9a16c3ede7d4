import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, passkeys } from "@/db/schema";
import { passkeySignInOptions } from "@/lib/auth/passkeys";
import { findSessionMember } from "@/lib/auth/session-store";
import { verifyCredentials, verifySecondFactor, type SignInResult } from "@/lib/auth/sign-in";
import { addPasskey, beginPasskeyRegistration, listPasskeys, removePasskey } from "@/lib/people/passkeys";
import { TEST_CONTEXT } from "../../fixtures/actors";
import { createTestOrganization, TEST_PASSWORD } from "../../fixtures/organizations";
import { domainErrorOf } from "../../fixtures/tokens";
import { softAuthenticator } from "../../fixtures/webauthn";

// SPEC §14, "Add passkey": a passkey is a second factor like the authenticator app. Attacks first:
// registering for another person, answering another person's ceremony, replaying an answer.

type Member = { personId: string; email: string };

async function signedIn(member: Member) {
  const result = await verifyCredentials({ email: member.email, password: TEST_PASSWORD }, TEST_CONTEXT);
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return { ...result.identity, email: member.email };
}

async function withPasskey(member: Member) {
  const session = await signedIn(member);
  const authenticator = softAuthenticator();
  const { ceremony, options } = await beginPasskeyRegistration(session);
  const codes = await addPasskey(
    session,
    { ceremony, response: authenticator.register(options), name: "Laptop", currentPassword: TEST_PASSWORD },
    TEST_CONTEXT,
  );
  return { session, authenticator, codes };
}

async function ticketFor(member: Member): Promise<string> {
  const result = await verifyCredentials({ email: member.email, password: TEST_PASSWORD }, TEST_CONTEXT);
  if (result.ok || result.reason !== "second_factor_required") throw new Error(`expected the second step, got ${JSON.stringify(result)}`);
  return result.ticket;
}

const reasonOf = (result: SignInResult) => (result.ok ? "ok" : result.reason);

describe("Passkeys", () => {
  it("adding one takes the current password and a valid answer; the first second factor comes with recovery codes; audited", async () => {
    const { organization, repOne } = await createTestOrganization();
    const session = await signedIn(repOne);
    const authenticator = softAuthenticator();
    const first = await beginPasskeyRegistration(session);
    const refused = await domainErrorOf(
      addPasskey(
        session,
        { ceremony: first.ceremony, response: authenticator.register(first.options), name: "Laptop", currentPassword: "nope" },
        TEST_CONTEXT,
      ),
    );
    expect(refused.fieldErrors.currentPassword).toEqual(["Incorrect password."]);
    expect(await listPasskeys(repOne.personId)).toEqual([]);

    const codes = await addPasskey(
      session,
      { ceremony: first.ceremony, response: authenticator.register(first.options), name: "Laptop", currentPassword: TEST_PASSWORD },
      TEST_CONTEXT,
    );
    expect(codes).toHaveLength(10);
    expect((await listPasskeys(repOne.personId)).map((key) => key.name)).toEqual(["Laptop"]);
    // A second one: no new recovery codes.
    const second = await beginPasskeyRegistration(session);
    expect(
      await addPasskey(
        session,
        {
          ceremony: second.ceremony,
          response: softAuthenticator().register(second.options),
          name: "Phone",
          currentPassword: TEST_PASSWORD,
        },
        TEST_CONTEXT,
      ),
    ).toBeNull();
    const db = await getDb();
    const events = await db
      .select({ details: auditEvents.details })
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, organization.id), eq(auditEvents.action, "person.passkey_added")));
    // The name is the person's: their organizations' logs see that a passkey was added, not what they called it.
    expect(events).toEqual([{ details: {} }, { details: {} }]);
  });

  it("another person's ceremony registers nothing for anyone; an answer works once; a challenge it did not sign is refused", async () => {
    const { repOne, repTwo } = await createTestOrganization();
    const mine = await signedIn(repOne);
    const theirs = await signedIn(repTwo);
    const authenticator = softAuthenticator();
    const theirCeremony = await beginPasskeyRegistration(theirs);
    const stolen = await domainErrorOf(
      addPasskey(
        mine,
        {
          ceremony: theirCeremony.ceremony,
          response: authenticator.register(theirCeremony.options),
          name: "X",
          currentPassword: TEST_PASSWORD,
        },
        TEST_CONTEXT,
      ),
    );
    expect(stolen.message).toMatch(/could not be verified/);
    expect(await listPasskeys(repOne.personId)).toEqual([]);
    expect(await listPasskeys(repTwo.personId)).toEqual([]);

    const own = await beginPasskeyRegistration(mine);
    const other = await beginPasskeyRegistration(mine);
    // Signed for one challenge, sent with another ceremony: refused.
    const mismatched = await domainErrorOf(
      addPasskey(
        mine,
        { ceremony: other.ceremony, response: authenticator.register(own.options), name: "X", currentPassword: TEST_PASSWORD },
        TEST_CONTEXT,
      ),
    );
    expect(mismatched.message).toMatch(/could not be verified/);
    const answer = authenticator.register(own.options);
    await addPasskey(mine, { ceremony: own.ceremony, response: answer, name: "Laptop", currentPassword: TEST_PASSWORD }, TEST_CONTEXT);
    const replayed = await domainErrorOf(
      addPasskey(mine, { ceremony: own.ceremony, response: answer, name: "Again", currentPassword: TEST_PASSWORD }, TEST_CONTEXT),
    );
    expect(replayed.message).toMatch(/could not be verified/);
    expect(await listPasskeys(repOne.personId)).toHaveLength(1);
  });

  it("signs in as the second step; the answer cannot be replayed, nor used for another person", async () => {
    const { organization, repOne, repTwo } = await createTestOrganization();
    const { authenticator } = await withPasskey(repOne);
    await withPasskey(repTwo);

    const ticket = await ticketFor(repOne);
    const started = await passkeySignInOptions(repOne.personId);
    if (!started) throw new Error("no ceremony");
    const answer = authenticator.assert(started.options);
    const first = await verifySecondFactor({ ceremony: started.ceremony, response: answer }, ticket, TEST_CONTEXT);
    if (!first.ok) throw new Error(`refused: ${first.reason}`);
    expect(await findSessionMember(first.identity, organization.slug)).not.toBeNull();
    // The same answer again, even with a fresh ticket: its ceremony is spent.
    expect(
      reasonOf(await verifySecondFactor({ ceremony: started.ceremony, response: answer }, await ticketFor(repOne), TEST_CONTEXT)),
    ).toBe("invalid_code");
    // Rep one's passkey answering rep two's ceremony, with rep two's ticket: not rep two's passkey.
    const theirs = await passkeySignInOptions(repTwo.personId);
    if (!theirs) throw new Error("no ceremony");
    expect(
      reasonOf(
        await verifySecondFactor(
          { ceremony: theirs.ceremony, response: authenticator.assert(theirs.options) },
          await ticketFor(repTwo),
          TEST_CONTEXT,
        ),
      ),
    ).toBe("invalid_code");
    // Rep one's ceremony with rep two's ticket: the ceremony is not rep two's.
    const again = await passkeySignInOptions(repOne.personId);
    if (!again) throw new Error("no ceremony");
    expect(
      reasonOf(
        await verifySecondFactor(
          { ceremony: again.ceremony, response: authenticator.assert(again.options) },
          await ticketFor(repTwo),
          TEST_CONTEXT,
        ),
      ),
    ).toBe("invalid_code");
    const db = await getDb();
    const [key] = await db.select({ lastUsedAt: passkeys.lastUsedAt }).from(passkeys).where(eq(passkeys.personId, repOne.personId));
    expect(key?.lastUsedAt).not.toBeNull();
  });

  it("removing takes the current password and only the person's own; the last factor gone, the password alone signs in", async () => {
    const { repOne, repTwo } = await createTestOrganization();
    const { session } = await withPasskey(repOne);
    const theirs = await withPasskey(repTwo);
    const [own] = await listPasskeys(repOne.personId);
    const [other] = await listPasskeys(repTwo.personId);
    if (!own || !other) throw new Error("no passkeys");
    expect(await domainErrorOf(removePasskey(session, other.id, { currentPassword: TEST_PASSWORD }, TEST_CONTEXT))).toMatchObject({
      code: "not_found",
    });
    expect(await listPasskeys(repTwo.personId)).toHaveLength(1);
    expect(
      (await domainErrorOf(removePasskey(session, own.id, { currentPassword: "x" }, TEST_CONTEXT))).fieldErrors.currentPassword,
    ).toEqual(["Incorrect password."]);
    await removePasskey(session, own.id, { currentPassword: TEST_PASSWORD }, TEST_CONTEXT);
    expect(reasonOf(await verifyCredentials({ email: repOne.email, password: TEST_PASSWORD }, TEST_CONTEXT))).toBe("ok");
    expect(theirs.codes).toHaveLength(10);
  });
});
