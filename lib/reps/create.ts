import { cappedCount } from "@/lib/shared/keyset-cursor";
import { z } from "zod";
import { getDb } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { invalid } from "@/lib/shared/errors";
import { generatePassword, hashPassword } from "@/lib/auth/passwords";
import { notifyMembershipAdded } from "@/lib/notifications/membership-events";
import { findOrCreatePerson } from "@/lib/people/persons";
import { createRepSchema, type CreateRepInput } from "@/lib/validation/rep";
import { repAuditSnapshot, repTarget, toRepView, type RepView } from "./view";

/**
 * A new member of the organization. `password` is the initial password to hand over once, when
 * the address was new to Tessera; a person who already has an account keeps theirs (null) and is
 * told by mail instead.
 */
export type CreatedRep = { rep: RepView; password: string | null; generated: boolean };

/**
 * Adds a person to the admin's organization as a member with their own username, display name
 * and role (SPEC §10): an address Tessera knows becomes a membership of that person, anyone else
 * a new person with an initial password (typed, or generated when left blank) returned once.
 * Only the membership is this organization's: the admin never sees or changes the person's
 * other organizations, password or sessions.
 */
export async function createRep(actor: Actor, input: CreateRepInput): Promise<CreatedRep> {
  assertAdmin(actor);
  const parsed = createRepSchema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const { password: typed, email, ...fields } = parsed.data;
  const password = typed ?? generatePassword();
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHash = await hashPassword(password);

  const db = await getDb();
  try {
    const { user, person, created } = await db.transaction(async (tx) => {
      // A new person's password is this admin's to know: it opens this organization alone (SPEC §14).
      // A person who exists keeps their password and sessions untouched.
      const found = await findOrCreatePerson(tx, email, { hash: passwordHash, organizationId: actor.organizationId });
      const [user] = await tx
        .insert(users)
        .values({ ...fields, organizationId: actor.organizationId, personId: found.person.id })
        .returning();
      if (!user) throw new Error("user insert returned no row");
      await recordChange(tx, actor, "user.created", repTarget(user), {
        ...repAuditSnapshot({ ...user, email: found.person.email }),
        existingPerson: !found.created,
        ...(found.created ? { passwordGenerated: typed === undefined } : {}),
      });
      if (!found.created) await notifyMembershipAdded(tx, actor, user);
      return { user, ...found };
    });
    const rep = toRepView({ ...user, email: person.email, lastSignInAt: person.lastSignInAt }, cappedCount(0));
    return created ? { rep, password, generated: typed === undefined } : { rep, password: null, generated: false };
  } catch (error) {
    if (isUniqueViolation(error, "users_org_person_key")) {
      throw invalid({ email: ["This person is already a member of your organization."] });
    }
    if (isUniqueViolation(error, "users_org_username_key")) {
      throw invalid({ username: ["Another rep of your organization already has this username."] });
    }
    throw error;
  }
}
