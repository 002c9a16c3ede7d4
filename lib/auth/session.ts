import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "./next-auth";
import {
  findSessionMembership,
  findSessionPerson,
  type CurrentUser,
  type SessionMembership,
  type SessionPerson,
  type SessionRef,
} from "./session-store";

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

const getSessionMembership = cache(async (organizationSlug: string): Promise<SessionMembership | null> => {
  const ref = await sessionRef();
  return ref ? findSessionMembership(ref, organizationSlug) : null;
});

/**
 * The signed-in person as an active member of the organization with this slug; null otherwise,
 * and while the organization requires a second factor the person has not set up.
 */
export async function getCurrentUser(organizationSlug: string): Promise<CurrentUser | null> {
  const found = await getSessionMembership(organizationSlug);
  return found?.kind === "member" ? found.member : null;
}

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
  const found = await getSessionMembership(organizationSlug);
  if (found?.kind === "member") return found.member;
  // Its members know the organization exists: /account tells them how to open it (SPEC §14).
  if (found?.kind === "second_factor_required") redirect(`/account?two-factor-required=${encodeURIComponent(organizationSlug)}`);
  await requirePerson();
  notFound();
}

/** Admin pages answer 404 to reps, as if they did not exist. */
export async function requireAdmin(organizationSlug: string): Promise<CurrentUser> {
  const user = await requireUser(organizationSlug);
  if (user.role !== "admin") notFound();
  return user;
}
