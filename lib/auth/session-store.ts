import { and, asc, desc, eq, exists, gt, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { organizations, persons, sessions, users } from "@/db/schema";
import { recordPersonEvent } from "@/lib/people/person-events";
import { personHasSecondFactor } from "./second-factor";
import type { RequestContext } from "@/lib/http/request-context";
import { isUuid } from "@/lib/shared/ids";
import { isSlug } from "@/lib/shared/slug";
import type { Role } from "@/lib/permissions/catalog";

// Server-side sessions: the session cookie (an Auth.js JWT) carries the id of a row here and its
// person, and a request is signed in only while that row is live. Signing out, a password reset
// and the deactivation of a person's last membership end rows, so a copy of the cookie dies with them.

/** How long a session lasts (the cookie's lifetime too, lib/auth/next-auth.ts). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export type SessionRef = { personId: string; sessionId: string };

/** The person behind a live session, before any organization is chosen. */
export type SessionPerson = { personId: string; email: string; sessionId: string };

/** The signed-in person as a member of the organization a request is for. */
export type CurrentUser = {
  /** The membership (users.id): what tokens, audit events and authorization name. */
  id: string;
  personId: string;
  organizationId: string;
  organizationSlug: string;
  organizationName: string;
  username: string;
  email: string;
  displayName: string;
  role: Role;
  sessionId: string;
};

// The cookie's ids come from the browser: checked as UUIDs before they reach a query, and the
// row must match both, so a session id is no key to anyone else's account.
const isWellFormed = (ref: SessionRef) => isUuid(ref.personId) && isUuid(ref.sessionId);
const isLiveSession = (ref: SessionRef, now: Date) =>
  and(eq(sessions.id, ref.sessionId), eq(sessions.personId, ref.personId), isNull(sessions.endedAt), gt(sessions.expiresAt, now));
/**
 * A membership that opens for its person: active, in an active organization and, while the
 * person's password is one an admin set, in that admin's organization alone (SPEC §14). For
 * queries that join users, organizations and persons.
 */
export const isOpenMembership = and(
  eq(users.active, true),
  eq(organizations.active, true),
  or(isNull(persons.passwordOrganizationId), eq(persons.passwordOrganizationId, users.organizationId)),
);

/** A user agent is kept for "Sessions" up to this many characters: enough to name any real browser. */
const USER_AGENT_MAX_LENGTH = 512;

/**
 * Starts a session for a person who just proved who they are, remembering the browser and address
 * for "Sessions" on /account; call it in the sign-in's transaction.
 */
export async function startSession(
  executor: Executor,
  personId: string,
  context: RequestContext,
  options: { secondFactor: boolean },
  now = new Date(),
): Promise<string> {
  const [row] = await executor
    .insert(sessions)
    .values({
      personId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
      userAgent: context.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) ?? null,
      ip: context.ip,
      lastSeenAt: now,
      secondFactorAt: options.secondFactor ? now : null,
    })
    .returning({ id: sessions.id });
  if (!row) throw new Error("session insert returned no row");
  return row.id;
}

/**
 * The person of a live session who still works somewhere: an ended or expired session, or a
 * person without an active membership in an active organization, is nobody.
 */
export async function findSessionPerson(ref: SessionRef, now = new Date()): Promise<SessionPerson | null> {
  if (!isWellFormed(ref)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ personId: persons.id, email: persons.email, sessionId: sessions.id, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .innerJoin(persons, eq(persons.id, sessions.personId))
    .where(
      and(
        isLiveSession(ref, now),
        exists(
          db
            .select({ one: sql`1` })
            .from(users)
            .innerJoin(organizations, eq(organizations.id, users.organizationId))
            .where(and(eq(users.personId, persons.id), isOpenMembership)),
        ),
      ),
    )
    .limit(1);
  if (!row) return null;
  const { lastSeenAt, ...person } = row;
  await touchSession(ref, lastSeenAt, now);
  return person;
}

/** "Last seen" is written at most this often per session, so a busy console is not a write per request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

async function touchSession(ref: SessionRef, lastSeenAt: Date | null, now: Date): Promise<void> {
  if (lastSeenAt && now.getTime() - lastSeenAt.getTime() < LAST_SEEN_RESOLUTION_MS) return;
  const db = await getDb();
  await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.id, ref.sessionId), eq(sessions.personId, ref.personId)));
}

/**
 * The session's person as a member of the organization with this slug, re-read in one query on
 * every request: an ended session, a deactivated membership, an inactive organization or a
 * changed role take effect at once, whatever the cookie says. Null when the person is not an
 * active member there, which the console answers exactly as for an organization that does not
 * exist — and when the organization requires a second factor the person has not set up
 * (findSessionMembership tells that case apart).
 */
export async function findSessionMember(ref: SessionRef, organizationSlug: string, now = new Date()): Promise<CurrentUser | null> {
  const found = await findSessionMembership(ref, organizationSlug, now);
  return found?.kind === "member" ? found.member : null;
}

/** A session's membership, or an organization whose policy keeps it closed until the person has a second factor (SPEC §14). */
export type SessionMembership = { kind: "member"; member: CurrentUser } | { kind: "second_factor_required"; organizationName: string };

export async function findSessionMembership(
  ref: SessionRef,
  organizationSlug: string,
  now = new Date(),
): Promise<SessionMembership | null> {
  // The slug comes from a URL or a form field: one no organization could have (a NUL byte, say,
  // which PostgreSQL refuses with an error) is nobody's, without asking the database.
  if (!isWellFormed(ref) || !isSlug(organizationSlug)) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      id: users.id,
      personId: persons.id,
      organizationId: organizations.id,
      organizationSlug: organizations.slug,
      organizationName: organizations.name,
      username: users.username,
      email: persons.email,
      displayName: users.displayName,
      role: users.role,
      sessionId: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
      twoFactorPolicy: organizations.twoFactorPolicy,
      // The person has a second factor now, and this session proved one: a session signed in with
      // the password alone before the factor existed does not count.
      hasSecondFactor: sql<boolean>`(${sessions.secondFactorAt} is not null and ${personHasSecondFactor})`,
    })
    .from(sessions)
    .innerJoin(persons, eq(persons.id, sessions.personId))
    .innerJoin(users, eq(users.personId, persons.id))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(isLiveSession(ref, now), eq(organizations.slug, organizationSlug), isOpenMembership))
    .limit(1);
  if (!row) return null;
  const { lastSeenAt, twoFactorPolicy, hasSecondFactor, ...member } = row;
  await touchSession(ref, lastSeenAt, now);
  const required = twoFactorPolicy === "everyone" || (twoFactorPolicy === "admins" && member.role === "admin");
  if (required && !hasSecondFactor) return { kind: "second_factor_required", organizationName: member.organizationName };
  return { kind: "member", member };
}

/** Signs the person out of this session: ends it and audits sign_out. False when it had already ended. */
export async function endSession(ref: SessionRef, context: RequestContext, now = new Date()): Promise<boolean> {
  if (!isWellFormed(ref)) return false;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(sessions)
      .set({ endedAt: now })
      .where(and(eq(sessions.id, ref.sessionId), eq(sessions.personId, ref.personId), isNull(sessions.endedAt)))
      .returning({ id: sessions.id });
    if (!ended) return false;
    await recordPersonEvent(tx, ref.personId, "sign_out", context, {}, { workingOnly: true });
    return true;
  });
}

/** One of a person's live sessions, as "Sessions" on /account lists them. */
export type SessionSummary = {
  id: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

/** The person's live sessions, the one asking first, then the most recently seen. Only ever their own. */
export async function listSessions(ref: SessionRef, now = new Date()): Promise<SessionSummary[]> {
  if (!isWellFormed(ref)) return [];
  const db = await getDb();
  const rows = await db
    .select({
      id: sessions.id,
      userAgent: sessions.userAgent,
      ip: sessions.ip,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .where(and(eq(sessions.personId, ref.personId), isNull(sessions.endedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt), asc(sessions.id));
  return rows
    .map((row) => ({ ...row, lastSeenAt: row.lastSeenAt ?? row.createdAt, current: row.id === ref.sessionId }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

/**
 * "Sign out" on one of the person's other sessions, or "Sign out everywhere else" (`target` "others"):
 * ends only sessions of the person asking, never the one asking (that is the header's "Sign out"),
 * and audits person.session_ended in each of their organizations. Returns how many ended: 0 for a
 * session that had already ended, or that is not theirs (which is told apart from nothing).
 */
export async function endOtherSessions(
  ref: SessionRef,
  target: string | "others",
  context: RequestContext,
  now = new Date(),
): Promise<number> {
  if (!isWellFormed(ref) || (target !== "others" && (!isUuid(target) || target === ref.sessionId))) return 0;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(sessions)
      .set({ endedAt: now })
      .where(
        and(
          eq(sessions.personId, ref.personId),
          ne(sessions.id, ref.sessionId),
          isNull(sessions.endedAt),
          target === "others" ? undefined : eq(sessions.id, target),
        ),
      )
      .returning({ id: sessions.id });
    if (ended.length > 0) {
      await recordPersonEvent(
        tx,
        ref.personId,
        "person.session_ended",
        context,
        { sessions: ended.length, everywhereElse: target === "others" },
        { workingOnly: true },
      );
    }
    return ended.length;
  });
}

/**
 * A person's first second factor, set up in this session: this session has proved it, and every
 * other one (signed in with the password alone, perhaps by whoever made the person want a second
 * factor) ends. Call it in that change's transaction.
 */
export async function secureSessionsAfterFirstFactor(executor: Executor, ref: SessionRef, now = new Date()): Promise<void> {
  await executor
    .update(sessions)
    .set({ secondFactorAt: now })
    .where(and(eq(sessions.id, ref.sessionId), eq(sessions.personId, ref.personId)));
  await executor
    .update(sessions)
    .set({ endedAt: now })
    .where(and(eq(sessions.personId, ref.personId), ne(sessions.id, ref.sessionId), isNull(sessions.endedAt)));
}

/** Ends every session of a person (their last membership deactivated, a password reset); call it in that change's transaction. */
export async function endPersonSessions(executor: Executor, personId: string, now = new Date()): Promise<void> {
  await executor
    .update(sessions)
    .set({ endedAt: now })
    .where(and(eq(sessions.personId, personId), isNull(sessions.endedAt)));
}

/** Ended and expired sessions are kept this long (the audit log keeps sign-ins and sign-outs for good). */
const ENDED_SESSION_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Deletes sessions that ended or expired over a week ago (of one organization's members, or all); the jobs
 * pass calls it. Returns how many.
 */
export async function pruneSessions(now = new Date(), only: { organizationId?: string } = {}): Promise<number> {
  const before = new Date(now.getTime() - ENDED_SESSION_RETENTION_MS);
  const db = await getDb();
  const pruned = await db
    .delete(sessions)
    .where(
      and(
        or(lt(sessions.expiresAt, before), lt(sessions.endedAt, before)),
        only.organizationId === undefined
          ? undefined
          : inArray(sessions.personId, db.select({ id: users.personId }).from(users).where(eq(users.organizationId, only.organizationId))),
      ),
    )
    .returning({ id: sessions.id });
  return pruned.length;
}
