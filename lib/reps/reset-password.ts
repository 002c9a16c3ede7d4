import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { persons, users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { invalid, notFound } from "@/lib/shared/errors";
import { generatePassword, hashPassword } from "@/lib/auth/passwords";
import { endPersonSessions } from "@/lib/auth/session-store";
import { isUuid } from "@/lib/shared/ids";
import { notifyPasswordResetLink } from "@/lib/notifications/membership-events";
import { belongsElsewhere } from "@/lib/people/other-memberships";
import { resetPasswordSchema } from "@/lib/validation/rep";
import { repTarget } from "./view";

/**
 * A reset password to show once; or, for a person who belongs to other organizations too, no
 * password (`mailed`): their password is theirs, so they get a link to set one themselves.
 */
export type ResetPassword =
  { kind: "issued"; username: string; password: string; generated: boolean } | { kind: "mailed"; username: string };

/**
 * Sets a new password (typed, or generated when blank) and returns it once; audited without it.
 * The password is the admin's to know, so it opens this organization alone (SPEC §14). An admin
 * never replaces a password the person chose and uses in another organization too: that person
 * gets a reset link by mail instead (lib/people/password-reset.ts), and nothing else changes.
 */
export async function resetRepPassword(actor: Actor, id: string, typed?: string, now = new Date()): Promise<ResetPassword> {
  assertAdmin(actor);
  const parsed = resetPasswordSchema.safeParse({ password: typed });
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  if (!isUuid(id)) throw notFound("Service rep");
  const password = parsed.data.password ?? generatePassword();
  const passwordHash = await hashPassword(password);

  const db = await getDb();
  return db.transaction(async (tx) => {
    const [rep] = await tx
      .select({ id: users.id, personId: users.personId, username: users.username, displayName: users.displayName })
      .from(users)
      .where(and(eq(users.organizationId, actor.organizationId), eq(users.id, id)))
      .for("update");
    if (!rep) throw notFound("Service rep");
    // The person's row first: a membership added elsewhere meanwhile (its foreign key takes a
    // share lock on this row) either commits before the check below, which then sees it, or waits.
    const [person] = await tx
      .select({ passwordHash: persons.passwordHash, passwordOrganizationId: persons.passwordOrganizationId })
      .from(persons)
      .where(eq(persons.id, rep.personId))
      .for("update");
    // Their own password, which opens another organization too, is not this admin's to replace;
    // one this organization set, or none at all (withdrawn by an earlier version), is.
    const replaceable = person?.passwordOrganizationId === actor.organizationId || person?.passwordHash === "";
    if (!replaceable && (await belongsElsewhere(tx, rep))) {
      if (parsed.data.password !== undefined) {
        throw invalid({
          password: [
            "This person also belongs to other organizations, so only they can choose their password. Leave the field blank to mail them a reset link.",
          ],
        });
      }
      await notifyPasswordResetLink(tx, actor, rep);
      await recordChange(tx, actor, "user.password_reset_link_sent", repTarget(rep), { username: rep.username });
      return { kind: "mailed", username: rep.username };
    }
    // The admin knows it: it opens this organization alone, whatever else the person joins.
    await tx
      .update(persons)
      .set({ passwordHash, passwordOrganizationId: actor.organizationId, updatedAt: now })
      .where(eq(persons.id, rep.personId));
    // A new password ends every session signed in with the old one.
    await endPersonSessions(tx, rep.personId, now);
    await recordChange(tx, actor, "user.password_reset", repTarget(rep), {
      username: rep.username,
      passwordGenerated: parsed.data.password === undefined,
    });
    return { kind: "issued", username: rep.username, password, generated: parsed.data.password === undefined };
  });
}
