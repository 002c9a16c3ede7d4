import { cappedCount } from "@/lib/shared/keyset-cursor";
import { z } from "zod";
import { getDb } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { invalid } from "@/lib/shared/errors";
import { generatePassword, hashPassword } from "@/lib/auth/passwords";
import { createRepSchema, type CreateRepInput } from "@/lib/validation/rep";
import { repAuditSnapshot, repTarget, toRepView, type RepView } from "./view";

export type CreatedRep = { rep: RepView; password: string; generated: boolean };

/**
 * Creates a user in the admin's organization. The initial password (typed, or generated when
 * left blank) is returned once so the admin can hand it over; only its hash is stored.
 */
export async function createRep(actor: Actor, input: CreateRepInput): Promise<CreatedRep> {
  assertAdmin(actor);
  const parsed = createRepSchema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const { password: typed, ...fields } = parsed.data;
  const password = typed ?? generatePassword();
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHash = await hashPassword(password);

  const db = await getDb();
  try {
    const user = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({ ...fields, organizationId: actor.organizationId, passwordHash })
        .returning();
      if (!created) throw new Error("user insert returned no row");
      await recordChange(tx, actor, "user.created", repTarget(created), {
        ...repAuditSnapshot(created),
        passwordGenerated: typed === undefined,
      });
      return created;
    });
    return { rep: toRepView(user, cappedCount(0)), password, generated: typed === undefined };
  } catch (error) {
    // E-mail addresses are unique across organizations (they sign in); saying so reveals only
    // that the address is taken, which the admin needs to know to pick another.
    if (isUniqueViolation(error, "users_email_unique")) throw invalid({ email: ["This e-mail address is already in use."] });
    if (isUniqueViolation(error, "users_org_username_key")) {
      throw invalid({ username: ["Another rep of your organization already has this username."] });
    }
    throw error;
  }
}
