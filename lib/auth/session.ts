import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "./next-auth";
import { findSessionUser, type CurrentUser } from "./session-store";

export type { CurrentUser } from "./session-store";

/**
 * The signed-in user, re-read from the database on every request with the server-side session
 * the cookie names (lib/auth/session-store.ts): a session that was signed out or ended, a deactivated
 * user or an inactive organization is nobody, whatever the session cookie says.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const { id: userId, organizationId, sessionId } = session?.user ?? {};
  if (!userId || !organizationId || !sessionId) return null;
  return findSessionUser({ userId, organizationId, sessionId });
});

/** For pages and actions that need a signed-in user; anyone else goes to /login. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  return user;
}

/** Admin pages answer 404 to reps, as if they did not exist. */
export async function requireAdmin(): Promise<CurrentUser> {
  const user = await requireUser();
  if (user.role !== "admin") notFound();
  return user;
}
