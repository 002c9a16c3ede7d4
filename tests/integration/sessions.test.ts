// @module-tag database
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents, organizations, sessions } from "@/db/schema";
import { updateRep } from "@/lib/reps/update";
import { resetRepPassword } from "@/lib/reps/reset-password";
import { endSession, findSessionMember, pruneSessions, SESSION_MAX_AGE_SECONDS } from "@/lib/auth/session-store";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { actorFor, TEST_CONTEXT } from "../fixtures/actors";
import { createTestOrganization, TEST_PASSWORD } from "../fixtures/organizations";

/** Signs in with the password and returns what the session cookie would carry, with the member's organization. */
async function signIn(user: { email: string; organizationId: string }) {
  const result = await verifyCredentials({ email: user.email, password: TEST_PASSWORD }, TEST_CONTEXT);
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  const db = await getDb();
  const [organization] = await db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, user.organizationId));
  return { ...result.identity, slug: organization?.slug ?? "" };
}

/** The session's member in its organization, as a console request there resolves it. */
const findSessionUser = (session: { personId: string; sessionId: string; slug: string }, now?: Date) =>
  findSessionMember(session, session.slug, now);

describe("server-side sessions", () => {
  it("a sign-in starts a session that resolves to its user, and to nobody else", async () => {
    const { repOne, repTwo } = await createTestOrganization();
    const session = await signIn(repOne);
    expect(await findSessionUser(session)).toMatchObject({ id: repOne.id, email: repOne.email, sessionId: session.sessionId });
    // The session id is no key to another user's account, nor is a made-up one.
    expect(await findSessionUser({ ...session, personId: repTwo.personId })).toBeNull();
    expect(await findSessionUser({ ...session, sessionId: randomUUID() })).toBeNull();
    expect(await findSessionUser({ ...session, sessionId: "not-a-uuid" })).toBeNull();
  });

  // Security review, third round (issue 24, finding 7): a NUL byte in a server action's
  // organization field reached PostgreSQL, which answered with an error (500) that the server log
  // printed beside the session and person ids.
  it("an organization slug no organization could have is nobody's, without a database error", async () => {
    const { repOne } = await createTestOrganization();
    const session = await signIn(repOne);
    for (const slug of [`${session.slug}\u0000`, "\u0000", "", "a", "x".repeat(10_000), `${session.slug}/../acme`, "ACME"]) {
      expect(await findSessionMember(session, slug), JSON.stringify(slug)).toBeNull();
    }
    expect(await findSessionUser(session)).not.toBeNull();
  });

  it("sign-out ends the session on the server and audits sign_out; a copy of the cookie is dead", async () => {
    const { repOne } = await createTestOrganization();
    const session = await signIn(repOne);
    const other = await signIn(repOne);
    expect(await endSession(session, TEST_CONTEXT)).toBe(true);
    expect(await findSessionUser(session)).toBeNull();
    // Signing out in one browser leaves the user's other sessions alone.
    expect(await findSessionUser(other)).not.toBeNull();
    // Ending it again changes nothing and audits nothing.
    expect(await endSession(session, TEST_CONTEXT)).toBe(false);

    const db = await getDb();
    const audited = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetUserId, repOne.id), eq(auditEvents.action, "sign_out")));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ organizationId: repOne.organizationId, actorUserId: repOne.id, ip: TEST_CONTEXT.ip });
    const [row] = await db.select().from(sessions).where(eq(sessions.id, session.sessionId));
    expect(row?.endedAt).toBeInstanceOf(Date);
  });

  it("a session ends by itself after its lifetime", async () => {
    const { repOne } = await createTestOrganization();
    const session = await signIn(repOne);
    const later = new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000 + 1000);
    expect(await findSessionUser(session, later)).toBeNull();
  });

  it("deactivation ends every session of the rep, and reactivation does not revive them", async () => {
    const { admin, repOne } = await createTestOrganization();
    const first = await signIn(repOne);
    const second = await signIn(repOne);
    await updateRep(actorFor(admin), repOne.id, { active: false });
    await updateRep(actorFor(admin), repOne.id, { active: true });
    expect(await findSessionUser(first)).toBeNull();
    expect(await findSessionUser(second)).toBeNull();
    expect(await findSessionUser(await signIn(repOne))).not.toBeNull();
  });

  it("a password reset ends every session of the rep", async () => {
    const { admin, repOne } = await createTestOrganization();
    const session = await signIn(repOne);
    await resetRepPassword(actorFor(admin), repOne.id, TEST_PASSWORD);
    expect(await findSessionUser(session)).toBeNull();
    expect(await findSessionUser(await signIn(repOne))).not.toBeNull();
  });

  it("the jobs' pruning deletes sessions a week after they ended or expired, and no live one", async () => {
    const { organization, repOne } = await createTestOrganization();
    const only = { organizationId: organization.id };
    const live = await signIn(repOne);
    const ended = await signIn(repOne);
    await endSession(ended, TEST_CONTEXT);
    const db = await getDb();
    const exists = async (id: string) => (await db.select().from(sessions).where(eq(sessions.id, id))).length === 1;
    const day = 24 * 60 * 60 * 1000;
    await pruneSessions(new Date(Date.now() + 6 * day), only);
    expect(await exists(ended.sessionId)).toBe(true);
    await pruneSessions(new Date(Date.now() + 8 * day), only);
    expect(await exists(ended.sessionId)).toBe(false);
    // The live one has expired too by then (12 hours), so it goes as well; today it stays.
    expect(await exists(live.sessionId)).toBe(false);
    const fresh = await signIn(repOne);
    await pruneSessions(new Date(), only);
    expect(await findSessionUser(fresh)).not.toBeNull();
  });

  it("an inactive organization's sessions resolve to nobody", async () => {
    const { admin } = await createTestOrganization();
    const session = await signIn(admin);
    const db = await getDb();
    await db.update(organizations).set({ active: false }).where(eq(organizations.id, admin.organizationId));
    expect(await findSessionUser(session)).toBeNull();
  });
});
