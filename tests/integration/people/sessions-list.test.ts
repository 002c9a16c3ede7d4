import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditEvents } from "@/db/schema";
import { endOtherSessions, findSessionMember, listSessions } from "@/lib/auth/session-store";
import { verifyCredentials } from "@/lib/auth/sign-in";
import { createTestOrganization, TEST_PASSWORD } from "../../fixtures/organizations";

// SPEC §14, "Sessions" on /account: a person sees and ends their own sessions, and nobody else's.

const FIREFOX = { ip: "198.51.100.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0" };
const PHONE = {
  ip: "203.0.113.9",
  userAgent:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
};

async function signIn(email: string, context: { ip: string; userAgent: string }) {
  const result = await verifyCredentials({ email, password: TEST_PASSWORD }, context);
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return result.identity;
}

describe("Sessions (/account)", () => {
  it("lists the person's live sessions, this one first, with the browser and address that signed in", async () => {
    const { repOne, repTwo } = await createTestOrganization();
    const laptop = await signIn(repOne.email, FIREFOX);
    const phone = await signIn(repOne.email, PHONE);
    await signIn(repTwo.email, FIREFOX);

    const listed = await listSessions(phone);
    expect(listed.map((row) => row.id)).toEqual([phone.sessionId, laptop.sessionId]);
    expect(listed[0]).toMatchObject({ current: true, ip: PHONE.ip, userAgent: PHONE.userAgent });
    expect(listed[1]).toMatchObject({ current: false, ip: FIREFOX.ip });
  });

  it("another person's session id, a made-up one or this session's own ends nothing", async () => {
    const { organization, repOne, repTwo } = await createTestOrganization();
    const mine = await signIn(repOne.email, FIREFOX);
    const theirs = await signIn(repTwo.email, FIREFOX);

    expect(await endOtherSessions(mine, theirs.sessionId, FIREFOX)).toBe(0);
    expect(await endOtherSessions(mine, mine.sessionId, FIREFOX)).toBe(0);
    expect(await endOtherSessions(mine, "not-a-uuid", FIREFOX)).toBe(0);
    expect(await endOtherSessions(mine, crypto.randomUUID(), FIREFOX)).toBe(0);
    expect(await findSessionMember(theirs, organization.slug)).not.toBeNull();
    expect(await findSessionMember(mine, organization.slug)).not.toBeNull();
    // The other person's list is theirs alone.
    expect((await listSessions(mine)).map((row) => row.id)).toEqual([mine.sessionId]);
  });

  it("Sign out ends that one session; Sign out everywhere else ends the rest but this one; each is audited", async () => {
    const { organization, repOne } = await createTestOrganization();
    const here = await signIn(repOne.email, FIREFOX);
    const phone = await signIn(repOne.email, PHONE);
    const tablet = await signIn(repOne.email, PHONE);
    const laptop = await signIn(repOne.email, FIREFOX);

    expect(await endOtherSessions(here, phone.sessionId, FIREFOX)).toBe(1);
    expect(await findSessionMember(phone, organization.slug)).toBeNull();
    expect(await findSessionMember(tablet, organization.slug)).not.toBeNull();
    expect(await endOtherSessions(here, phone.sessionId, FIREFOX)).toBe(0);

    expect(await endOtherSessions(here, "others", FIREFOX)).toBe(2);
    expect(await findSessionMember(tablet, organization.slug)).toBeNull();
    expect(await findSessionMember(laptop, organization.slug)).toBeNull();
    expect(await findSessionMember(here, organization.slug)).not.toBeNull();
    expect((await listSessions(here)).map((row) => row.id)).toEqual([here.sessionId]);

    const db = await getDb();
    const events = await db
      .select({ details: auditEvents.details, ip: auditEvents.ip })
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, organization.id), eq(auditEvents.action, "person.session_ended")));
    expect(events).toEqual(
      expect.arrayContaining([
        { details: { sessions: 1, everywhereElse: false }, ip: FIREFOX.ip },
        { details: { sessions: 2, everywhereElse: true }, ip: FIREFOX.ip },
      ]),
    );
    expect(events).toHaveLength(2);
  });
});
