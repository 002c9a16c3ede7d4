import { and, asc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { persons, personalAccessTokens as tokens, users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { cappedCount, PAGE_LIMITS } from "@/lib/shared/keyset-cursor";
import { reachOf } from "@/lib/tokens/access";
import { tokenStateCondition } from "@/lib/tokens/queries";
import { toRepView, type PersonOption, type RepView } from "./view";

/**
 * Every member of the admin's organization, with how many of their tokens work right now: counted
 * per person up to PAGE_LIMITS.countCap (index-only, see pat_org_user_live_idx), so a person with
 * a million tokens costs no more than one with ten thousand.
 */
export async function listReps(actor: Actor, now = new Date()): Promise<RepView[]> {
  assertAdmin(actor);
  const db = await getDb();
  const working = db
    .select({ one: sql`1` })
    .from(tokens)
    .where(and(eq(tokens.organizationId, actor.organizationId), eq(tokens.userId, users.id), tokenStateCondition("active", now)))
    .limit(PAGE_LIMITS.countCap + 1);
  const rows = await db
    .select({
      user: users,
      email: persons.email,
      lastSignInAt: persons.lastSignInAt,
      activeTokens: sql<number>`(select count(*)::int from (${working}) as working)`,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(users.organizationId, actor.organizationId))
    .orderBy(asc(users.displayName), asc(users.id));
  return rows.map((row) => toRepView({ ...row.user, email: row.email, lastSignInAt: row.lastSignInAt }, cappedCount(row.activeTokens)));
}

/**
 * The people an actor may pick in filters and as token owners, without token counts (cheap on
 * every page load): everyone of the organization, deactivated reps included, for an actor that
 * reaches the organization's tokens; otherwise only the actor.
 */
export async function listPeople(actor: Actor): Promise<PersonOption[]> {
  const db = await getDb();
  return db
    .select({ id: users.id, username: users.username, displayName: users.displayName, role: users.role, active: users.active })
    .from(users)
    .where(and(eq(users.organizationId, actor.organizationId), reachOf(actor) === "own" ? eq(users.id, actor.userId) : undefined))
    .orderBy(asc(users.displayName), asc(users.id));
}
