import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { organizations, sessions, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit/record";
import type { RequestContext } from "@/lib/http/request-context";
import { isUuid } from "@/lib/shared/ids";
import type { Role } from "@/lib/permissions/catalog";

// Server-side sessions: the session cookie (an Auth.js JWT) carries the id of a row here, and a
// request is signed in only while that row is live. Signing out, deactivation and a password
// reset end rows, so a copy of the cookie dies with them.

/** How long a session lasts (the cookie's lifetime too, lib/auth/next-auth.ts). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

export type SessionRef = { userId: string; organizationId: string; sessionId: string };

export type CurrentUser = {
  id: string;
  organizationId: string;
  organizationName: string;
  username: string;
  email: string;
  displayName: string;
  role: Role;
  sessionId: string;
};

// The cookie's ids come from the browser: checked as UUIDs before they reach a query, and the
// row must match all three, so a session id is no key to anyone else's account.
const isWellFormed = (ref: SessionRef) => [ref.userId, ref.organizationId, ref.sessionId].every(isUuid);
const isSession = (ref: SessionRef) =>
  and(eq(sessions.id, ref.sessionId), eq(sessions.organizationId, ref.organizationId), eq(sessions.userId, ref.userId));

/** Starts a session for a user who just proved their password; call it in the sign-in's transaction. */
export async function startSession(executor: Executor, user: { id: string; organizationId: string }, now = new Date()): Promise<string> {
  const [row] = await executor
    .insert(sessions)
    .values({
      userId: user.id,
      organizationId: user.organizationId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    })
    .returning({ id: sessions.id });
  if (!row) throw new Error("session insert returned no row");
  return row.id;
}

/**
 * The user of a live session, re-read in one query on every request: an ended or expired
 * session, a deactivated user, an inactive organization or a changed role take effect at once,
 * whatever the cookie says.
 */
export async function findSessionUser(ref: SessionRef, now = new Date()): Promise<CurrentUser | null> {
  if (!isWellFormed(ref)) return null;
  const db = await getDb();
  const [row] = await db
    .select({
      id: users.id,
      organizationId: users.organizationId,
      organizationName: organizations.name,
      username: users.username,
      email: users.email,
      displayName: users.displayName,
      role: users.role,
      sessionId: sessions.id,
    })
    .from(sessions)
    .innerJoin(users, and(eq(users.organizationId, sessions.organizationId), eq(users.id, sessions.userId)))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(isSession(ref), isNull(sessions.endedAt), gt(sessions.expiresAt, now), eq(users.active, true), eq(organizations.active, true)),
    )
    .limit(1);
  return row ?? null;
}

/** Signs the user out of this session: ends it and audits sign_out. False when it had already ended. */
export async function endSession(ref: SessionRef, context: RequestContext, now = new Date()): Promise<boolean> {
  if (!isWellFormed(ref)) return false;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(sessions)
      .set({ endedAt: now })
      .where(and(isSession(ref), isNull(sessions.endedAt)))
      .returning({ id: sessions.id });
    if (!ended) return false;
    await recordAuditEvent(tx, {
      organizationId: ref.organizationId,
      action: "sign_out",
      actorUserId: ref.userId,
      targetType: "user",
      targetId: ref.userId,
      targetUserId: ref.userId,
      context,
    });
    return true;
  });
}

/** Ends every session of a user (deactivation, password reset); call it in that change's transaction. */
export async function endUserSessions(executor: Executor, organizationId: string, userId: string, now = new Date()): Promise<void> {
  await executor
    .update(sessions)
    .set({ endedAt: now })
    .where(and(eq(sessions.organizationId, organizationId), eq(sessions.userId, userId), isNull(sessions.endedAt)));
}

/** Ended and expired sessions are kept this long (the audit log keeps sign-ins and sign-outs for good). */
const ENDED_SESSION_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Deletes sessions that ended or expired over a week ago (of one organization, or all); the jobs
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
        only.organizationId === undefined ? undefined : eq(sessions.organizationId, only.organizationId),
      ),
    )
    .returning({ id: sessions.id });
  return pruned.length;
}
