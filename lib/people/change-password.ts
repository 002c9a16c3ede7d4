import { and, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { persons, sessions } from "@/db/schema";
import { takeConfirmationAttempt } from "@/lib/auth/password-limits";
import { checkPassword, hashPassword } from "@/lib/auth/passwords";
import type { RequestContext } from "@/lib/http/request-context";
import { invalid } from "@/lib/shared/errors";
import { passwordSchema } from "@/lib/validation/user";
import { recordPersonEvent } from "./person-events";

const changePasswordInput = z
  .object({ currentPassword: z.string().max(1024), password: passwordSchema, confirmation: z.string() })
  .refine((input) => input.password === input.confirmation, { path: ["confirmation"], error: "The passwords do not match." });

export type ChangePasswordInput = z.input<typeof changePasswordInput>;

const REFUSALS = {
  rate_limited: "Too many failed attempts. Wait a minute, then try again.",
  busy: "The server is busy; try again in a moment.",
  mismatch: "Incorrect password.",
} as const;

/**
 * The signed-in person chooses their own password (SPEC §14): the current one first (limited per
 * session, like the password prompt, so strangers cannot spend the attempts), then the new one
 * replaces it in every organization — a password an admin set, which opened that admin's
 * organization alone, becomes the person's own and opens all of theirs. Every other session
 * ends; the change is audited in each of the person's organizations, in one transaction.
 */
export async function changeOwnPassword(
  session: { personId: string; sessionId: string },
  input: ChangePasswordInput,
  context: RequestContext,
  now = new Date(),
): Promise<void> {
  const parsed = changePasswordInput.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const attempt = await takeConfirmationAttempt(session.personId, session.sessionId);
  if (!attempt.ok) throw invalid({ currentPassword: [REFUSALS.rate_limited] });
  const db = await getDb();
  const [person] = await db.select({ passwordHash: persons.passwordHash }).from(persons).where(eq(persons.id, session.personId));
  const check = await checkPassword(person?.passwordHash || undefined, parsed.data.currentPassword);
  if (check !== "match") {
    if (check === "busy") await attempt.settle("not_checked");
    else await recordPersonEvent(db, session.personId, "auth.failed", context, { reason: "password_change_failed" }, { workingOnly: true });
    throw invalid({ currentPassword: [REFUSALS[check]] });
  }
  await attempt.settle("matched");
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHash = await hashPassword(parsed.data.password);
  await db.transaction(async (tx) => {
    await tx.update(persons).set({ passwordHash, passwordOrganizationId: null, updatedAt: now }).where(eq(persons.id, session.personId));
    // Whoever else held a session of this person — with the old password — is out; this one goes on.
    await tx
      .update(sessions)
      .set({ endedAt: now })
      .where(and(eq(sessions.personId, session.personId), ne(sessions.id, session.sessionId), isNull(sessions.endedAt)));
    await recordPersonEvent(tx, session.personId, "person.password_changed", context, { via: "account" }, { workingOnly: false });
  });
}
