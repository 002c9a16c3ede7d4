import { and, eq, not, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { organizations, persons, twoFactorPolicy, users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { personHasSecondFactor, secondFactorOf } from "@/lib/auth/second-factor";
import { recordChange } from "@/lib/audit/record";
import { invalid, notFound } from "@/lib/shared/errors";

// "Require two-factor authentication" (SPEC §14): whose console stays closed until they have a
// second factor — nobody ("off"), admins, or everyone. Their API tokens are not affected.

export type TwoFactorPolicy = (typeof twoFactorPolicy.enumValues)[number];

export const isTwoFactorPolicy = (value: unknown): value is TwoFactorPolicy =>
  typeof value === "string" && (twoFactorPolicy.enumValues as readonly string[]).includes(value);

/** The organization's policy, and how many of its active members it now keeps out of the console. */
export async function twoFactorPolicyOf(actor: Actor): Promise<{ policy: TwoFactorPolicy; membersWithout: number }> {
  assertAdmin(actor);
  const db = await getDb();
  const [organization] = await db
    .select({ policy: organizations.twoFactorPolicy })
    .from(organizations)
    .where(eq(organizations.id, actor.organizationId));
  if (!organization) throw notFound("Organization");
  if (organization.policy === "off") return { policy: "off", membersWithout: 0 };
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(
      and(
        eq(users.organizationId, actor.organizationId),
        eq(users.active, true),
        organization.policy === "admins" ? eq(users.role, "admin") : undefined,
        not(personHasSecondFactor),
      ),
    );
  return { policy: organization.policy, membersWithout: row?.n ?? 0 };
}

/**
 * Sets the policy, audited as policy.updated. An admin who has no second factor cannot turn it on:
 * it would close the console to them on the next request.
 */
export async function updateTwoFactorPolicy(actor: Actor, value: unknown, now = new Date()): Promise<{ changed: boolean }> {
  assertAdmin(actor);
  if (!isTwoFactorPolicy(value)) throw invalid({ twoFactorPolicy: ["Choose who must use two-factor authentication."] });
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ policy: organizations.twoFactorPolicy })
      .from(organizations)
      .where(eq(organizations.id, actor.organizationId))
      .for("update");
    if (!current) throw notFound("Organization");
    if (current.policy === value) return { changed: false };
    if (value !== "off") {
      const [self] = await tx
        .select({ personId: users.personId })
        .from(users)
        .where(and(eq(users.organizationId, actor.organizationId), eq(users.id, actor.userId)));
      if (!self || !(await secondFactorOf(tx, self.personId)).enabled) {
        const message = "Set up two-factor authentication on your account page first: this policy would close the console to you too.";
        throw invalid({ twoFactorPolicy: [message] }, message);
      }
    }
    await tx.update(organizations).set({ twoFactorPolicy: value, updatedAt: now }).where(eq(organizations.id, actor.organizationId));
    await recordChange(
      tx,
      actor,
      "policy.updated",
      { type: "organization", id: actor.organizationId },
      {
        changes: { twoFactorPolicy: { from: current.policy, to: value } },
      },
    );
    return { changed: true };
  });
}
