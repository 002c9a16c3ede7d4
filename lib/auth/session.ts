import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "./next-auth";
import { findSessionMember, findSessionPerson, type CurrentUser, type SessionPerson, type SessionRef } from "./session-store";

export type { CurrentUser, SessionPerson } from "./session-store";

const sessionRef = cache(async (): Promise<SessionRef | null> => {
  const session = await auth();
  const { id: personId, sessionId } = session?.user ?? {};
  return personId && sessionId ? { personId, sessionId } : null;
});

/**
 * The signed-in person, re-read from the database on every request with the server-side session
 * the cookie names (lib/auth/session-store.ts): a session that was signed out or ended, or a
 * person no organization has active any more, is nobody, whatever the session cookie says.
 */
export const getCurrentPerson = cache(async (): Promise<SessionPerson | null> => {
  const ref = await sessionRef();
  return ref ? findSessionPerson(ref) : null;
});

/** The signed-in person as an active member of the organization with this slug; null otherwise. */
export const getCurrentUser = cache(async (organizationSlug: string): Promise<CurrentUser | null> => {
  const ref = await sessionRef();
  return ref ? findSessionMember(ref, organizationSlug) : null;
});

/** For pages and actions that need a signed-in person; anyone else goes to /login. */
export async function requirePerson(): Promise<SessionPerson> {
  const person = await getCurrentPerson();
  if (!person) redirect("/login");
  return person;
}

/**
 * For pages and actions of one organization: the signed-in person's membership there. Whoever is
 * not signed in goes to /login; a person who is not an active member gets 404, exactly as for an
 * organization that does not exist, so a slug reveals nothing.
 */
export async function requireUser(organizationSlug: string): Promise<CurrentUser> {
  const user = await getCurrentUser(organizationSlug);
  if (user) return user;
  await requirePerson();
  notFound();
}

/** Admin pages answer 404 to reps, as if they did not exist. */
export async function requireAdmin(organizationSlug: string): Promise<CurrentUser> {
  const user = await requireUser(organizationSlug);
  if (user.role !== "admin") notFound();
  return user;
}
