import { createHmac, randomBytes } from "node:crypto";
import { and, eq, gt, isNotNull, isNull, lte, or } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Executor } from "@/db";
import { passwordResets, persons, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/passwords";
import { endPersonSessions } from "@/lib/auth/session-store";
import { getEnv } from "@/lib/env";
import type { RequestContext } from "@/lib/http/request-context";
import { derivedKey } from "@/lib/shared/derived-key";
import { invalid } from "@/lib/shared/errors";
import { passwordSchema } from "@/lib/validation/user";
import { recordPersonEvent } from "./person-events";

// Password reset by mailed link, for a person whose password no one organization may set
// (lib/reps/reset-password.ts). The secret travels only in the mail and in the URL's fragment,
// which browsers never send to a server; the page posts it in the form body. Only its keyed hash
// is stored, and it works once and for an hour. A newer link does not cancel older ones (an admin
// of one organization cannot cancel another's), but using any link spends them all.

export const RESET_LINK_LIFETIME_MS = 60 * 60 * 1000;
export const RESET_PATH = "/reset-password";

const secretHash = (secret: string) => createHmac("sha256", derivedKey("tessera/password-reset/v1")).update(secret, "utf8").digest("hex");

/** Makes a reset link for the person of this membership; called as the mail is sent, so the link exists nowhere but in that mail. */
export async function createResetLink(executor: Executor, membershipId: string, now = new Date()): Promise<string | null> {
  const [member] = await executor.select({ personId: users.personId }).from(users).where(eq(users.id, membershipId));
  if (!member) return null;
  const secret = randomBytes(32).toString("base64url");
  // Spent and expired links of the person are of no further use.
  await executor
    .delete(passwordResets)
    .where(and(eq(passwordResets.personId, member.personId), or(isNotNull(passwordResets.usedAt), lte(passwordResets.expiresAt, now))));
  await executor.insert(passwordResets).values({
    personId: member.personId,
    secretHash: secretHash(secret),
    expiresAt: new Date(now.getTime() + RESET_LINK_LIFETIME_MS),
    createdAt: now,
  });
  return `${getEnv().appUrl}${RESET_PATH}#${secret}`;
}

const resetInput = z
  .object({ secret: z.string().min(1).max(200), password: passwordSchema, confirmation: z.string() })
  .refine((input) => input.password === input.confirmation, { path: ["confirmation"], error: "The passwords do not match." });

export type ResetInput = z.input<typeof resetInput>;

const EXPIRED_LINK = "This link has expired or was already used. Ask an administrator for a new one.";

/**
 * Sets the person's password with a link's secret: once, before it expires. Ends every session
 * of the person (whoever had the old password is out) and audits person.password_changed in each
 * of their organizations, all in one transaction.
 */
export async function resetPasswordWithLink(input: ResetInput, context: RequestContext, now = new Date()): Promise<void> {
  const parsed = resetInput.safeParse(input);
  if (!parsed.success) {
    const { secret, ...fieldErrors } = z.flattenError(parsed.error).fieldErrors;
    if (secret) throw invalid({}, EXPIRED_LINK);
    throw invalid(fieldErrors);
  }
  const db = await getDb();
  const usable = and(
    eq(passwordResets.secretHash, secretHash(parsed.data.secret)),
    isNull(passwordResets.usedAt),
    gt(passwordResets.expiresAt, now),
  );
  // The link first, by its keyed hash (an indexed lookup): a made-up secret costs no argon2 work.
  const [link] = await db.select({ personId: passwordResets.personId }).from(passwordResets).where(usable);
  if (!link) throw invalid({}, EXPIRED_LINK);
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHash = await hashPassword(parsed.data.password);
  await db.transaction(async (tx) => {
    const [used] = await tx.update(passwordResets).set({ usedAt: now }).where(usable).returning({ personId: passwordResets.personId });
    if (!used) throw invalid({}, EXPIRED_LINK);
    // Every other open link of the person is spent with it.
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.personId, used.personId), isNull(passwordResets.usedAt)));
    // A mailed link's password is the person's own: it opens every organization they work in.
    await tx.update(persons).set({ passwordHash, passwordOrganizationId: null, updatedAt: now }).where(eq(persons.id, used.personId));
    await endPersonSessions(tx, used.personId, now);
    await recordPersonEvent(tx, used.personId, "person.password_changed", context, { via: "reset_link" }, { workingOnly: false });
  });
}
