import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { persons, users, type Person, type User } from "@/db/schema";

/** The person with this e-mail address (any case), if any. */
export async function findPersonByEmail(executor: Executor, email: string): Promise<Person | null> {
  const [person] = await executor.select().from(persons).where(eq(persons.email, email.toLowerCase())).limit(1);
  return person ?? null;
}

/**
 * The person with this e-mail address, or a new one with this password hash (set by an admin of
 * `organizationId`, which it alone opens, or the person's own when null); `created` says which.
 * Two admins adding the same new address at once get the same person. A person who exists is
 * left exactly as they are: joining another organization never touches their password or
 * sessions (SPEC §14).
 */
export async function findOrCreatePerson(
  executor: Executor,
  email: string,
  password: { hash: string; organizationId: string | null },
): Promise<{ person: Person; created: boolean }> {
  const [created] = await executor
    .insert(persons)
    .values({ email: email.toLowerCase(), passwordHash: password.hash, passwordOrganizationId: password.organizationId })
    .onConflictDoNothing({ target: persons.email })
    .returning();
  if (created) return { person: created, created: true };
  // Locked, so a concurrent password change of the person waits for this membership to commit.
  const [existing] = await executor.select().from(persons).where(eq(persons.email, email.toLowerCase())).for("update");
  if (!existing) throw new Error("person vanished between insert and select");
  return { person: existing, created: false };
}

/** The first membership of the person with this e-mail address: for scripts and benchmarks that start from a demo address. */
export async function firstMembershipByEmail(executor: Executor, email: string): Promise<User | null> {
  const [row] = await executor
    .select({ user: users })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(persons.email, email.toLowerCase()))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  return row?.user ?? null;
}
