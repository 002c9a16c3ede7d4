import { and, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { organizations, persons, sessions, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/passwords";
import type { RequestContext } from "@/lib/http/request-context";
import { notifyOwnPasswordLink } from "@/lib/notifications/membership-events";
import { invalid } from "@/lib/shared/errors";
import { passwordSchema } from "@/lib/validation/user";
import { requireCurrentPassword } from "./current-password";
import { recordPersonEvent } from "./person-events";

const changePasswordInput = z
  .object({ currentPassword: z.string().max(1024), password: passwordSchema, confirmation: z.string() })
  .refine((input) => input.password === input.confirmation, { path: ["confirmation"], error: "The passwords do not match." });

export type ChangePasswordInput = z.input<typeof changePasswordInput>;

/**
 * The signed-in person changes their password (SPEC §14): the current one first (limited per
 * session, like the password prompt, so strangers cannot spend the attempts). The new one opens
 * what the old one did: a person's own password every organization they work in; one an admin set
 * (which that admin knows, and could type here as well as the person) that admin's organization
 * alone — a password of one's own is chosen through a mailed link (mailOwnPasswordLink), which
 * proves the mailbox, not the password. Every other session ends; the change is audited in each of
 * the person's organizations, in one transaction. Returns the organization the password still
 * opens alone, if any.
 */
export async function changeOwnPassword(
  session: { personId: string; sessionId: string },
  input: ChangePasswordInput,
  context: RequestContext,
  now = new Date(),
): Promise<{ scopedTo: string | null }> {
  const parsed = changePasswordInput.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  await requireCurrentPassword(session, parsed.data.currentPassword, context, "password_change_failed");
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHash = await hashPassword(parsed.data.password);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [person] = await tx
      .update(persons)
      .set({ passwordHash, updatedAt: now })
      .where(eq(persons.id, session.personId))
      .returning({ scopedTo: persons.passwordOrganizationId });
    // Whoever else held a session of this person — with the old password — is out; this one goes on.
    await tx
      .update(sessions)
      .set({ endedAt: now })
      .where(and(eq(sessions.personId, session.personId), ne(sessions.id, session.sessionId), isNull(sessions.endedAt)));
    await recordPersonEvent(tx, session.personId, "person.password_changed", context, { via: "account" }, { workingOnly: false });
    return { scopedTo: person?.scopedTo ?? null };
  });
}

/** The organization the person's password opens alone (set by its admin), or null for a password of their own. */
export async function passwordScopeOf(personId: string): Promise<{ organizationId: string; organizationName: string } | null> {
  const db = await getDb();
  const [row] = await db
    .select({ organizationId: organizations.id, organizationName: organizations.name })
    .from(persons)
    .innerJoin(organizations, eq(organizations.id, persons.passwordOrganizationId))
    .where(eq(persons.id, personId));
  return row ?? null;
}

/**
 * "Mail me a link" on /account, for a person whose password an admin set: a one-time link to
 * choose one of their own (lib/people/password-reset.ts), sent to their own address — the proof
 * that they, not the admin who knows the password, are asking. At most one every ten minutes;
 * false when one was sent in this window, or when the password is already their own.
 */
export async function mailOwnPasswordLink(session: { personId: string }, now = new Date()): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [member] = await tx
      .select({ id: users.id, organizationId: users.organizationId })
      .from(persons)
      .innerJoin(users, and(eq(users.personId, persons.id), eq(users.organizationId, persons.passwordOrganizationId)))
      .where(eq(persons.id, session.personId));
    if (!member) return false;
    return notifyOwnPasswordLink(tx, member.organizationId, member.id, now);
  });
}
