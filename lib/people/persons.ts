import { asc, eq } from "drizzle-orm";
import type { Executor } from "@/db";
import { persons, users, type Person, type User } from "@/db/schema";
import { endPersonSessions } from "@/lib/auth/session-store";

/** The person with this e-mail address (any case), if any. */
export async function findPersonByEmail(executor: Executor, email: string): Promise<Person | null> {
  const [person] = await executor.select().from(persons).where(eq(persons.email, email.toLowerCase())).limit(1);
  return person ?? null;
}

/**
 * The person with this e-mail address, or a new one with this password hash (`provisional` when
 * an organization's admin set it); `created` says which. Two admins adding the same new address at
 * once get the same person. What joining does to an existing person's password is the caller's
 * (lib/reps/create.ts, lib/organizations/create.ts).
 */
export async function findOrCreatePerson(
  executor: Executor,
  email: string,
  password: { hash: string; provisional: boolean },
): Promise<{ person: Person; created: boolean }> {
  const [created] = await executor
    .insert(persons)
    .values({ email: email.toLowerCase(), passwordHash: password.hash, passwordProvisional: password.provisional })
    .onConflictDoNothing({ target: persons.email })
    .returning();
  if (created) return { person: created, created: true };
  // Locked: a withdrawal of its provisional password (below) must not race a reset.
  const [existing] = await executor.select().from(persons).where(eq(persons.email, email.toLowerCase())).for("update");
  if (!existing) throw new Error("person vanished between insert and select");
  return { person: existing, created: false };
}

/**
 * A provisional password was set by an admin of an organization the person already belongs to,
 * who knows it (or anyone who squatted the address did). It must not open a further organization:
 * joining one withdraws it and ends the person's sessions; the caller mails them a reset link (or,
 * for the operator's organization script, sets the operator's password instead).
 */
export async function withdrawProvisionalPassword(executor: Executor, person: Person, now: Date): Promise<boolean> {
  if (!person.passwordProvisional) return false;
  await executor.update(persons).set({ passwordHash: "", passwordProvisional: false, updatedAt: now }).where(eq(persons.id, person.id));
  await endPersonSessions(executor, person.id, now);
  return true;
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
