import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { personalAccessTokens as tokens, users } from "@/db/schema";
import { assertAdmin, type Actor } from "@/lib/auth/actor";
import { reachOf } from "@/lib/tokens/access";
import { toRepView, type PersonOption, type RepView } from "./view";

/** Every user of the admin's organization, with how many of their tokens work right now. */
export async function listReps(actor: Actor, now = new Date()): Promise<RepView[]> {
  assertAdmin(actor);
  const db = await getDb();
  const working = db
    .select({ userId: tokens.userId, count: sql<number>`count(*)::int`.as("count") })
    .from(tokens)
    .where(
      and(
        eq(tokens.organizationId, actor.organizationId),
        isNull(tokens.revokedAt),
        eq(tokens.active, true),
        or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)),
      ),
    )
    .groupBy(tokens.userId)
    .as("working");
  const rows = await db
    .select({ user: users, activeTokens: sql<number>`coalesce(${working.count}, 0)::int` })
    .from(users)
    .leftJoin(working, eq(working.userId, users.id))
    .where(eq(users.organizationId, actor.organizationId))
    .orderBy(asc(users.displayName), asc(users.id));
  return rows.map((row) => toRepView(row.user, row.activeTokens));
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
