import { and, eq } from "drizzle-orm";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db";
import { organizations, users } from "@/db/schema";
import { auth } from "./auth";

export type CurrentUser = {
  id: string;
  organizationId: string;
  organizationName: string;
  username: string;
  email: string;
  displayName: string;
  role: "admin" | "rep";
};

/**
 * The signed-in user, re-read from the database on every request: a deactivated user, an
 * inactive organization or a changed role takes effect at once, whatever the session cookie says.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  const organizationId = session?.user?.organizationId;
  const signedInAt = session?.user?.signedInAt ?? 0;
  if (!userId || !organizationId) return null;
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
      sessionsValidAfter: users.sessionsValidAfter,
    })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(
      and(
        eq(users.id, userId),
        eq(users.organizationId, organizationId),
        eq(users.active, true),
        eq(organizations.active, true),
      ),
    )
    .limit(1);
  if (!row) return null;
  const { sessionsValidAfter, ...user } = row;
  // Signed in before a deactivation or password reset: that session is over.
  if (sessionsValidAfter && signedInAt < sessionsValidAfter.getTime()) return null;
  return user;
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
