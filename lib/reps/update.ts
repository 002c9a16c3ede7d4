import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Transaction } from "@/db";
import { users, type User } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { recordChange, type AuditAction, type Change } from "@/lib/audit/record";
import { conflict, invalid, notFound } from "@/lib/shared/errors";
import { endPersonSessions } from "@/lib/auth/session-store";
import { worksElsewhere } from "@/lib/people/other-memberships";
import { isUuid } from "@/lib/shared/ids";
import { evictLocally } from "@/lib/tokens/verification-cache";
import { updateRepSchema, type UpdateRepInput } from "@/lib/validation/rep";
import { repTarget } from "./view";

export type UpdatedRep = Pick<User, "id" | "username" | "displayName" | "role" | "active">;

const summary = ({ id, username, displayName, role, active }: User): UpdatedRep => ({ id, username, displayName, role, active });

/**
 * Edits a rep's display name, role and active state; audited old → new in the same transaction.
 * Deactivating the membership stops it at once: its tokens stop without being revoked (token
 * verification re-reads `active`, so reactivating restores them), and every request of the
 * person in this organization is refused (the console re-reads the membership each time). The
 * person's other organizations go on; only when this was their last working membership are
 * their sessions ended, so reactivating them later does not revive a cookie. Demoting narrows
 * the rep's tokens to what a rep may hold, because effective permissions follow the current role.
 */
export async function updateRep(actor: Actor, id: string, input: UpdateRepInput, now = new Date()): Promise<UpdatedRep> {
  assertAdmin(actor);
  const parsed = updateRepSchema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  const patch = parsed.data;
  if (!isUuid(id)) throw notFound("Service rep");

  const db = await getDb();
  return db.transaction(async (tx) => {
    // Lock the active admins before the rep, always in the same order, so two admins demoting
    // each other at once serialize instead of deadlocking — and the second sees the first's change.
    const mayRemoveAdmin = patch.role === "rep" || patch.active === false;
    const activeAdmins = mayRemoveAdmin ? await lockActiveAdmins(tx, actor.organizationId) : [];

    const [rep] = await tx
      .select()
      .from(users)
      .where(and(eq(users.organizationId, actor.organizationId), eq(users.id, id)))
      .for("update");
    if (!rep) throw notFound("Service rep");

    const changes: Record<string, Change> = {};
    const values: Partial<Pick<User, "displayName" | "role" | "active">> = {};
    if (patch.displayName !== undefined && patch.displayName !== rep.displayName) {
      changes.displayName = { from: rep.displayName, to: patch.displayName };
      values.displayName = patch.displayName;
    }
    if (patch.role !== undefined && patch.role !== rep.role) {
      changes.role = { from: rep.role, to: patch.role };
      values.role = patch.role;
    }
    if (patch.active !== undefined && patch.active !== rep.active) {
      changes.active = { from: rep.active, to: patch.active };
      values.active = patch.active;
    }
    if (Object.keys(values).length === 0) return summary(rep);

    const removesAdmin = rep.role === "admin" && rep.active && (values.role === "rep" || values.active === false);
    if (removesAdmin && !activeAdmins.some((admin) => admin.id !== rep.id)) {
      throw conflict(
        rep.id === actor.userId
          ? "You are the last active admin of your organization: make another rep an admin first."
          : `${rep.displayName} is the last active admin of your organization: make another rep an admin first.`,
      );
    }

    const [updated] = await tx
      .update(users)
      .set({ ...values, updatedAt: now })
      .where(and(eq(users.organizationId, actor.organizationId), eq(users.id, rep.id)))
      .returning();
    if (!updated) throw new Error("user update returned no row");
    if (values.active === false && !(await worksElsewhere(tx, rep))) await endPersonSessions(tx, rep.personId, now);
    // A new role or a deactivation changes what the rep's tokens may do: this instance forgets
    // them at once; the database's NOTIFY tells every instance when the change commits.
    evictLocally(`user:${rep.id}`);
    await recordChange(tx, actor, auditActionFor(values), repTarget(rep), { changes, username: rep.username });
    return summary(updated);
  });
}

function auditActionFor(values: Partial<Pick<User, "active">>): AuditAction {
  if (values.active === false) return "user.deactivated";
  if (values.active === true) return "user.activated";
  return "user.updated";
}

function lockActiveAdmins(tx: Transaction, organizationId: string) {
  return tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.role, "admin"), eq(users.active, true)))
    .orderBy(asc(users.id))
    .for("update");
}
