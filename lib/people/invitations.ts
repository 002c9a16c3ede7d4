import { and, asc, desc, eq, exists, gt, isNull, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { getDb, type Executor } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { invitations, organizations, persons, sessions, users, type Person } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { recordAuditEvent, recordChange, type AuditTarget } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import type { Role } from "@/lib/permissions/catalog";
import { conflict, invalid, notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import { addDays } from "@/lib/shared/time";
import { membershipsOf, personEventContext } from "./person-events";

// Invitations (SPEC §14): an admin who adds someone who already has a Tessera account invites
// them; the membership exists only once the person accepts, on /account. Until then nothing of
// the person changes — no membership, no password, no session — and declining leaves no trace
// in their account. Every query names its owner next to the id: the person's own (person_id)
// for accepting and declining, the admin's organization for listing and withdrawing.

type Invitation = typeof invitations.$inferSelect;

/** An invitation is open for a week; a later invitation of the same person replaces an expired one. */
export const INVITATION_LIFETIME_DAYS = 7;

export const ALREADY_MEMBER = "This person is already a member of your organization.";
export const ALREADY_INVITED =
  "This person already has a pending invitation to your organization. Withdraw it under Pending invitations to invite them again.";
export const USERNAME_OF_MEMBER = "Another rep of your organization already has this username.";
export const USERNAME_OF_INVITATION = "A pending invitation to your organization already holds this username.";
export const USERNAME_GIVEN_AWAY =
  "The organization has since given this username to someone else; ask its administrator to invite you again.";

/** A pending invitation as its admins see it under Pending invitations. */
export type InvitationView = {
  id: string;
  email: string;
  username: string;
  displayName: string;
  role: Role;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
};

/** A pending invitation as the invited person sees it on /account. */
export type PendingInvitation = {
  id: string;
  organizationName: string;
  organizationSlug: string;
  username: string;
  role: Role;
  invitedBy: string | null;
  createdAt: string;
  expiresAt: string;
};

export type AcceptedInvitation = {
  organizationName: string;
  organizationSlug: string;
  role: Role;
  /** False while the person's password is one another organization's admin set (SPEC §14): it opens once they choose their own. */
  opensNow: boolean;
};

// First key of the two-key advisory lock on (organization, username), so it meets no one else's.
const USERNAME_LOCK_SPACE = 0x1a71_7e5d;

/**
 * Serializes the changes that give out a username in an organization (a new member, an
 * invitation) until the transaction ends: a username held by a pending invitation has no unique
 * index to guard it, so the check below and the insert after it must not interleave.
 */
export async function lockUsername(tx: Executor, organizationId: string, username: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${USERNAME_LOCK_SPACE}, hashtext(${`${organizationId}|${username}`}))`);
}

/** Why this username is not free in the organization (a member's, or a pending invitation's), or null. Call it under lockUsername. */
export async function usernameConflict(tx: Executor, organizationId: string, username: string, now: Date): Promise<string | null> {
  const [member] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.username, username)))
    .limit(1);
  if (member) return USERNAME_OF_MEMBER;
  const [invited] = await tx
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.username, username), gt(invitations.expiresAt, now)))
    .limit(1);
  return invited ? USERNAME_OF_INVITATION : null;
}

const invitationTarget = (invitation: Pick<Invitation, "id">): AuditTarget => ({ type: "user", id: invitation.id, userId: null });

/**
 * Invites a person who already has an account to the admin's organization, in the caller's
 * transaction (lib/reps/create.ts, which holds lockUsername): refused on the e-mail field when
 * they are a member already or have a pending invitation, on the username field when it is
 * taken. An expired invitation of theirs is replaced. Audited `user.invited`.
 */
export async function inviteExistingPerson(
  tx: Executor,
  actor: Actor,
  person: Pick<Person, "id" | "email">,
  fields: { username: string; displayName: string; role: Role },
  now: Date,
): Promise<InvitationView> {
  assertAdmin(actor);
  const [member] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, actor.organizationId), eq(users.personId, person.id)))
    .limit(1);
  if (member) throw invalid({ email: [ALREADY_MEMBER] });
  const [pending] = await tx
    .select({ id: invitations.id })
    .from(invitations)
    .where(and(eq(invitations.organizationId, actor.organizationId), eq(invitations.personId, person.id), gt(invitations.expiresAt, now)))
    .limit(1);
  if (pending) throw invalid({ email: [ALREADY_INVITED] });
  const taken = await usernameConflict(tx, actor.organizationId, fields.username, now);
  if (taken) throw invalid({ username: [taken] });
  const replaced = await tx
    .delete(invitations)
    .where(and(eq(invitations.organizationId, actor.organizationId), eq(invitations.personId, person.id), lte(invitations.expiresAt, now)))
    .returning({ id: invitations.id });
  const [invitation] = await tx
    .insert(invitations)
    .values({
      ...fields,
      organizationId: actor.organizationId,
      personId: person.id,
      invitedByUserId: actor.userId,
      createdAt: now,
      expiresAt: addDays(now, INVITATION_LIFETIME_DAYS),
    })
    .onConflictDoNothing({ target: [invitations.organizationId, invitations.personId] })
    .returning();
  // Another admin's invitation of the same person, committed since the check above.
  if (!invitation) throw invalid({ email: [ALREADY_INVITED] });
  await recordChange(tx, actor, "user.invited", invitationTarget(invitation), {
    email: person.email,
    username: invitation.username,
    displayName: invitation.displayName,
    role: invitation.role,
    expiresAt: invitation.expiresAt.toISOString(),
    ...(replaced.length > 0 ? { replacedExpired: true } : {}),
  });
  return toInvitationView(invitation, person.email, null);
}

function toInvitationView(invitation: Invitation, email: string, invitedBy: string | null): InvitationView {
  return {
    id: invitation.id,
    email,
    username: invitation.username,
    displayName: invitation.displayName,
    role: invitation.role,
    invitedBy,
    createdAt: invitation.createdAt.toISOString(),
    expiresAt: invitation.expiresAt.toISOString(),
  };
}

// The inviter, named only as the inviting organization's member.
const inviters = alias(users, "inviter");
const inviterJoin = and(eq(inviters.id, invitations.invitedByUserId), eq(inviters.organizationId, invitations.organizationId));

/** The admin's organization's pending invitations, newest first: Pending invitations on the reps page. */
export async function listOrganizationInvitations(actor: Actor, now = new Date()): Promise<InvitationView[]> {
  assertAdmin(actor);
  const db = await getDb();
  const rows = await db
    .select({ invitation: invitations, email: persons.email, invitedBy: inviters.displayName })
    .from(invitations)
    .innerJoin(persons, eq(persons.id, invitations.personId))
    .leftJoin(inviters, inviterJoin)
    .where(and(eq(invitations.organizationId, actor.organizationId), gt(invitations.expiresAt, now)))
    .orderBy(desc(invitations.createdAt), asc(invitations.id));
  return rows.map((row) => toInvitationView(row.invitation, row.email, row.invitedBy));
}

/** An admin withdraws a pending invitation of their organization; another organization's answers "not found". Audited `user.invitation_withdrawn`. */
export async function withdrawInvitation(actor: Actor, invitationId: string): Promise<{ email: string }> {
  assertAdmin(actor);
  if (!isUuid(invitationId)) throw notFound("Invitation");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .delete(invitations)
      .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, actor.organizationId)))
      .returning();
    if (!invitation) throw notFound("Invitation");
    const [person] = await tx.select({ email: persons.email }).from(persons).where(eq(persons.id, invitation.personId));
    const email = person?.email ?? "";
    await recordChange(tx, actor, "user.invitation_withdrawn", invitationTarget(invitation), {
      email,
      username: invitation.username,
      role: invitation.role,
    });
    return { email };
  });
}

/**
 * The person's own pending invitations, oldest first: not expired, from organizations that are
 * active. Only ever asked for the signed-in person's own.
 */
export async function listPendingInvitations(personId: string, now = new Date()): Promise<PendingInvitation[]> {
  if (!isUuid(personId)) return [];
  const db = await getDb();
  const rows = await db
    .select({
      id: invitations.id,
      organizationName: organizations.name,
      organizationSlug: organizations.slug,
      username: invitations.username,
      role: invitations.role,
      invitedBy: inviters.displayName,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .innerJoin(organizations, and(eq(organizations.id, invitations.organizationId), eq(organizations.active, true)))
    .leftJoin(inviters, inviterJoin)
    .where(and(eq(invitations.personId, personId), gt(invitations.expiresAt, now)))
    .orderBy(asc(invitations.createdAt), asc(invitations.id));
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), expiresAt: row.expiresAt.toISOString() }));
}

type SessionRef = { personId: string; sessionId: string };

/**
 * The invitation the session's person may answer: their own (person_id in the WHERE clause, so
 * anyone else's answers exactly like one that does not exist), not expired, from an active
 * organization, asked by a live session of theirs.
 */
function answerable(session: SessionRef, invitationId: string, now: Date, db: Executor): SQL | undefined {
  return and(
    eq(invitations.id, invitationId),
    eq(invitations.personId, session.personId),
    gt(invitations.expiresAt, now),
    exists(
      db
        .select({ one: sql`1` })
        .from(organizations)
        .where(and(eq(organizations.id, invitations.organizationId), eq(organizations.active, true))),
    ),
    exists(
      db
        .select({ one: sql`1` })
        .from(sessions)
        .where(
          and(
            eq(sessions.id, session.sessionId),
            eq(sessions.personId, session.personId),
            isNull(sessions.endedAt),
            gt(sessions.expiresAt, now),
          ),
        ),
    ),
  );
}

const isWellFormed = (session: SessionRef, invitationId: string) =>
  isUuid(invitationId) && isUuid(session.personId) && isUuid(session.sessionId);

/**
 * The person accepts: in one transaction the invitation goes and the membership it describes
 * comes, audited `user.invitation_accepted` in that organization as the new member's. A username
 * the organization has given to someone else meanwhile refuses it, and nothing changes.
 */
export async function acceptInvitation(
  session: SessionRef,
  invitationId: string,
  context: RequestContext,
  now = new Date(),
): Promise<AcceptedInvitation> {
  if (!isWellFormed(session, invitationId)) throw notFound("Invitation");
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      const [invitation] = await tx
        .delete(invitations)
        .where(answerable(session, invitationId, now, tx))
        .returning();
      if (!invitation) throw notFound("Invitation");
      const earlier = await membershipsOf(tx, session.personId, { workingOnly: false });
      const [user] = await tx
        .insert(users)
        .values({
          organizationId: invitation.organizationId,
          personId: invitation.personId,
          username: invitation.username,
          displayName: invitation.displayName,
          role: invitation.role,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!user) throw new Error("user insert returned no row");
      await recordAuditEvent(tx, {
        organizationId: user.organizationId,
        action: "user.invitation_accepted",
        actorUserId: user.id,
        targetType: "user",
        targetId: user.id,
        targetUserId: user.id,
        // Where the person is, only for their first organization (lib/people/person-events.ts).
        context: personEventContext(context, earlier.length),
        details: { invitationId: invitation.id, username: user.username, role: user.role, invitedByUserId: invitation.invitedByUserId },
      });
      const [joined] = await tx
        .select({ name: organizations.name, slug: organizations.slug, passwordOrganizationId: persons.passwordOrganizationId })
        .from(organizations)
        .innerJoin(persons, eq(persons.id, user.personId))
        .where(eq(organizations.id, user.organizationId));
      if (!joined) throw new Error("the joined organization vanished");
      return {
        organizationName: joined.name,
        organizationSlug: joined.slug,
        role: user.role,
        opensNow: joined.passwordOrganizationId === null,
      };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_org_username_key")) throw conflict(USERNAME_GIVEN_AWAY);
    if (isUniqueViolation(error, "users_org_person_key")) throw conflict("You are already a member of this organization.");
    throw error;
  }
}

/**
 * The person declines: the invitation goes, audited `user.invitation_declined` in the inviting
 * organization alone — nothing is recorded under the person's other memberships, nor where they
 * declined from.
 */
export async function declineInvitation(
  session: SessionRef,
  invitationId: string,
  now = new Date(),
): Promise<{ organizationName: string }> {
  if (!isWellFormed(session, invitationId)) throw notFound("Invitation");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .delete(invitations)
      .where(answerable(session, invitationId, now, tx))
      .returning();
    if (!invitation) throw notFound("Invitation");
    const [person] = await tx.select({ email: persons.email }).from(persons).where(eq(persons.id, invitation.personId));
    await recordAuditEvent(tx, {
      organizationId: invitation.organizationId,
      action: "user.invitation_declined",
      targetType: "user",
      targetId: invitation.id,
      details: { email: person?.email ?? null, username: invitation.username, role: invitation.role },
    });
    const [organization] = await tx
      .select({ name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, invitation.organizationId));
    return { organizationName: organization?.name ?? "" };
  });
}
