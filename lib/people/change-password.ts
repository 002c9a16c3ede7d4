import { and, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { persons, sessions } from "@/db/schema";
import { hashPassword } from "@/lib/auth/passwords";
import type { RequestContext } from "@/lib/http/request-context";
import { invalid } from "@/lib/shared/errors";
import { passwordSchema } from "@/lib/validation/user";
import { requireCurrentPassword } from "./current-password";
import { recordPersonEvent } from "./person-events";

const changePasswordInput = z
  .object({ currentPassword: z.string().max(1024), password: passwordSchema, confirmation: z.string() })
  .refine((input) => input.password === input.confirmation, { path: ["confirmation"], error: "The passwords do not match." });

export type ChangePasswordInput = z.input<typeof changePasswordInput>;

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
  await requireCurrentPassword(session, parsed.data.currentPassword, context, "password_change_failed");
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHash = await hashPassword(parsed.data.password);
  const db = await getDb();
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
