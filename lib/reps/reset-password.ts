import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { invalid, notFound } from "@/lib/shared/errors";
import { generatePassword, hashPassword } from "@/lib/auth/passwords";
import { endUserSessions } from "@/lib/auth/session-store";
import { isUuid } from "@/lib/shared/ids";
import { resetPasswordSchema } from "@/lib/validation/rep";
import { repTarget } from "./view";

export type ResetPassword = { username: string; password: string; generated: boolean };

/** Sets a new password (typed, or generated when blank) and returns it once; audited without it. */
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
      .update(users)
      .set({ passwordHash, updatedAt: now })
      .where(and(eq(users.organizationId, actor.organizationId), eq(users.id, id)))
      .returning({ id: users.id, username: users.username });
    if (!rep) throw notFound("Service rep");
    // A new password ends every session signed in with the old one.
    await endUserSessions(tx, actor.organizationId, rep.id, now);
    await recordChange(tx, actor, "user.password_reset", repTarget(rep), {
      username: rep.username,
      passwordGenerated: parsed.data.password === undefined,
    });
    return { username: rep.username, password, generated: parsed.data.password === undefined };
  });
}
