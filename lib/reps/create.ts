import { cappedCount } from "@/lib/shared/keyset-cursor";
import { z } from "zod";
import { getDb } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { invalid } from "@/lib/shared/errors";
import { generatePassword, hashPassword } from "@/lib/auth/passwords";
import { notifyInvitation } from "@/lib/notifications/membership-events";
import {
  ALREADY_MEMBER,
  inviteExistingPerson,
  lockUsername,
  USERNAME_OF_MEMBER,
  usernameConflict,
  type InvitationView,
} from "@/lib/people/invitations";
import { findOrCreatePerson } from "@/lib/people/persons";
import { createRepSchema, type CreateRepInput } from "@/lib/validation/rep";
import { repAuditSnapshot, repTarget, toRepView, type RepView } from "./view";

/**
 * What adding a person made. "member": the address was new to Tessera, so a new person and their
 * membership, with the initial password to hand over once. "invited": the address belongs to
 * someone who already has an account, who is invited and joins only when they accept (SPEC §14).
 */
export type CreatedRep =
  { kind: "member"; rep: RepView; password: string; generated: boolean } | { kind: "invited"; invitation: InvitationView };

/**
 * Adds a person to the admin's organization with their own username, display name and role
 * (SPEC §10, §14): an address Tessera does not know becomes a new person and member with an
 * initial password (typed, or generated when left blank) returned once; an address it knows gets
 * an invitation and a mail, and nothing of that person changes — no membership until they
 * accept, no password, no session. A username is taken by a member or a pending invitation.
 */
export async function createRep(actor: Actor, input: CreateRepInput, now = new Date()): Promise<CreatedRep> {
  assertAdmin(actor);
  const parsed = createRepSchema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const { password: typed, email, ...fields } = parsed.data;
  const password = typed ?? generatePassword();
  // Hash outside the transaction: argon2 is deliberately slow. (Also for an address Tessera
  // knows, which then does not use it, so the answer takes as long either way.)
  const passwordHash = await hashPassword(password);

  const db = await getDb();
  try {
    return await db.transaction(async (tx): Promise<CreatedRep> => {
      await lockUsername(tx, actor.organizationId, fields.username);
      // A new person's password is this admin's to know: it opens this organization alone (SPEC §14).
      const found = await findOrCreatePerson(tx, email, { hash: passwordHash, organizationId: actor.organizationId });
      if (!found.created) {
        const invitation = await inviteExistingPerson(tx, actor, found.person, fields, now);
        await notifyInvitation(tx, actor, invitation);
        return { kind: "invited", invitation };
      }
      const taken = await usernameConflict(tx, actor.organizationId, fields.username, now);
      if (taken) throw invalid({ username: [taken] });
      const [user] = await tx
        .insert(users)
        .values({ ...fields, organizationId: actor.organizationId, personId: found.person.id })
        .returning();
      if (!user) throw new Error("user insert returned no row");
      await recordChange(tx, actor, "user.created", repTarget(user), {
        ...repAuditSnapshot({ ...user, email: found.person.email }),
        passwordGenerated: typed === undefined,
      });
      const rep = toRepView({ ...user, email: found.person.email, lastSignInAt: found.person.lastSignInAt }, cappedCount(0));
      return { kind: "member", rep, password, generated: typed === undefined };
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_org_person_key")) throw invalid({ email: [ALREADY_MEMBER] });
    if (isUniqueViolation(error, "users_org_username_key")) throw invalid({ username: [USERNAME_OF_MEMBER] });
    throw error;
  }
}
