import { and, asc, desc, eq, gt, ilike, inArray, isNotNull, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Database } from "@/db";
import { personalAccessTokens as tokens, users } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import { cappedCount, PAGE_LIMITS, type CappedCount } from "@/lib/shared/keyset-cursor";
import { minimumPrefixes, type TokenPolicy } from "@/lib/organizations/policy";
import { tokenListQuerySchema, type TokenListQuery, type TokenSort } from "@/lib/validation/token";
import { decodeCursor, encodeCursor } from "./cursor";
import { authorizeTokenAction, reachOf, tokenInReach, tokensInReach } from "./access";
import { loadPolicy } from "@/lib/organizations/queries";
import type { TokenState } from "./state";
import { selectTokensWithOwner, withGrants } from "./token-row";
import { toTokenView, type TokenView } from "./view";

/**
 * `total` counts the matching tokens up to PAGE_LIMITS.countCap; `totalCapped` says there are more.
 * `policy` is the organization's token policy the page was flagged against (so callers need not load it again).
 */
export type TokenPage = CappedCount & { tokens: TokenView[]; nextCursor: string | null; policy: TokenPolicy };

// Each sort is a keyset: an expression, its direction, and the id as tie-breaker.
const SORTS: Record<TokenSort, { key: SQL; direction: "asc" | "desc"; value: (row: typeof tokens.$inferSelect) => string }> = {
  created_desc: { key: sql`${tokens.createdAt}`, direction: "desc", value: (t) => t.createdAt.toISOString() },
  created_asc: { key: sql`${tokens.createdAt}`, direction: "asc", value: (t) => t.createdAt.toISOString() },
  description_asc: { key: sql`${tokens.description}`, direction: "asc", value: (t) => t.description },
  expires_asc: {
    key: sql`coalesce(${tokens.expiresAt}, 'infinity'::timestamptz)`,
    direction: "asc",
    value: (t) => t.expiresAt?.toISOString() ?? "infinity",
  },
  last_used_desc: {
    key: sql`coalesce(${tokens.lastUsedAt}, '-infinity'::timestamptz)`,
    direction: "desc",
    value: (t) => t.lastUsedAt?.toISOString() ?? "-infinity",
  },
};

/** Tokens in `state` at `now`, as SQL (the twin of tokenState in ./state.ts). */
export function tokenStateCondition(state: TokenState, now: Date): SQL | undefined {
  const live = isNull(tokens.revokedAt);
  const unexpired = or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now));
  switch (state) {
    case "revoked":
      return isNotNull(tokens.revokedAt);
    case "expired":
      return and(live, lte(tokens.expiresAt, now));
    case "inactive":
      return and(live, unexpired, eq(tokens.active, false));
    case "active":
      return and(live, unexpired, eq(tokens.active, true));
  }
}

// The SQL twin of isOutsidePolicy (lib/organizations/policy.ts): working tokens without a required expiration,
// or expiring after the end of the UTC day `maxLifetimeDays` after their creation, or holding write
// or admin power without the allowed IP addresses the policy requires (lib/tokens/restrictions.ts).
function outsidePolicyCondition(policy: TokenPolicy, now: Date): SQL {
  const breaches: SQL[] = [];
  if (policy.requireExpiration || policy.maxLifetimeDays !== null) breaches.push(isNull(tokens.expiresAt));
  if (policy.maxLifetimeDays !== null) {
    breaches.push(
      sql`${tokens.expiresAt} >= date_trunc('day', ${tokens.createdAt} + make_interval(hours => ${policy.maxLifetimeDays}::int * 24), 'UTC') + interval '24 hours'`,
    );
  }
  if (policy.requireAllowlistForWrite) {
    const minimum = minimumPrefixes(policy);
    // No list, or a range wider than the policy allows (rangesWiderThan, lib/tokens/restrictions.ts).
    breaches.push(
      sql`((${tokens.allowedCidrs} is null or exists (select 1 from unnest(${tokens.allowedCidrs}) as c(cidr)
          where masklen(c.cidr::cidr) < greatest(1, case when family(c.cidr::cidr) = 4 then ${minimum.v4}::int else ${minimum.v6}::int end)))
        and exists (select 1 from unnest(${tokens.permissions}) as p(permission) where p.permission like '%:write' or p.permission like '%:admin'))`,
    );
  }
  if (breaches.length === 0) return sql`false`;
  return and(isNull(tokens.revokedAt), or(isNull(tokens.expiresAt), gt(tokens.expiresAt, now)), or(...breaches)) as SQL;
}

/** Rotated-out values still in their grace (SPEC §11): revoked, yet working. */
export const inGraceCondition = (now: Date): SQL => and(isNotNull(tokens.rotatedAt), gt(tokens.graceUntil, now)) as SQL;

/** Up to this many owners matched by username are named by id; more are matched by subquery. */
const NAMED_OWNERS = 100;

/**
 * Tokens whose description, account SID or owner's username contains `search`. The owners are
 * looked up first, among the people the actor reaches, so the condition names their ids: each arm
 * is then an index of its own (trigram, trigram, owner) and the planner sees how many rows each
 * holds. A search that matches a crowd of usernames (it narrows little anyway) uses a subquery.
 */
async function searchCondition(db: Database, actor: Actor, search: string): Promise<SQL | undefined> {
  const pattern = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const matchingOwners = and(
    eq(users.organizationId, actor.organizationId),
    reachOf(actor) === "own" ? eq(users.id, actor.userId) : undefined,
    ilike(users.username, pattern),
  );
  const owners = await db
    .select({ id: users.id })
    .from(users)
    .where(matchingOwners)
    .limit(NAMED_OWNERS + 1);
  const ownerArm =
    owners.length === 0
      ? undefined
      : owners.length <= NAMED_OWNERS
        ? inArray(
            tokens.userId,
            owners.map((owner) => owner.id),
          )
        : inArray(tokens.userId, db.select({ id: users.id }).from(users).where(matchingOwners));
  return or(ilike(tokens.description, pattern), ilike(tokens.accountSid, pattern), ownerArm);
}

/** How many rows match, read no further than the cap. */
async function countMatching(db: Database, filters: SQL | undefined): Promise<CappedCount> {
  const matching = db
    .select({ one: sql`1` })
    .from(tokens)
    .where(filters)
    .limit(PAGE_LIMITS.countCap + 1)
    .as("matching");
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(matching);
  return cappedCount(row?.n ?? 0);
}

/** A page of the tokens the actor may see, filtered, sorted, paginated by keyset. */
export async function listTokens(actor: Actor, query: TokenListQuery = {}, now = new Date()): Promise<TokenPage> {
  authorizeTokenAction(actor, "read");
  const { userId, applicationId, state, search, outsidePolicy, sort, cursor, limit } = tokenListQuerySchema.parse(query);
  const keyset = SORTS[sort];
  const db = await getDb();
  // The policy flags each token; it is awaited first only when it also filters.
  const policyLoad = loadPolicy(db, actor.organizationId);
  const filterPolicy = outsidePolicy ? await policyLoad : null;
  const filters = and(
    tokensInReach(actor),
    userId ? eq(tokens.userId, userId) : undefined,
    applicationId ? eq(tokens.applicationId, applicationId) : undefined,
    state ? tokenStateCondition(state, now) : undefined,
    search ? await searchCondition(db, actor, search) : undefined,
    filterPolicy ? outsidePolicyCondition(filterPolicy, now) : undefined,
  );
  const after = decodeCursor(cursor, sort);
  const cast = sort === "description_asc" ? sql`${after?.value}` : sql`${after?.value}::timestamptz`;
  const page = after
    ? and(
        filters,
        keyset.direction === "asc"
          ? sql`(${keyset.key}, ${tokens.id}) > (${cast}, ${after.id}::uuid)`
          : sql`(${keyset.key}, ${tokens.id}) < (${cast}, ${after.id}::uuid)`,
      )
    : filters;
  const order = keyset.direction === "asc" ? [asc(keyset.key), asc(tokens.id)] : [desc(keyset.key), desc(tokens.id)];

  // A first page that holds every match is its own count, so the count runs only when the page
  // is full — except for a search, whose count is dear enough to run beside the page instead.
  const [rows, policy, searchCount] = await Promise.all([
    selectTokensWithOwner(db)
      .where(page)
      .orderBy(...order)
      .limit(limit + 1),
    policyLoad,
    search ? countMatching(db, filters) : null,
  ]);
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  const counted =
    searchCount ?? (!after && rows.length <= limit ? { total: rows.length, totalCapped: false } : await countMatching(db, filters));
  return {
    tokens: (await withGrants(db, actor.organizationId, visible)).map((row) => toTokenView(row, now, policy)),
    ...counted,
    nextCursor: rows.length > limit && last ? encodeCursor(sort, keyset.value(last.token), last.token.id) : null,
    policy,
  };
}

/** One token within the actor's reach; another organization's or rep's is "not found". */
export async function getToken(actor: Actor, id: string, now = new Date()): Promise<TokenView> {
  authorizeTokenAction(actor, "read");
  const db = await getDb();
  const [row] = await withGrants(
    db,
    actor.organizationId,
    await selectTokensWithOwner(db).where(isUuid(id) ? tokenInReach(actor, id) : sql`false`),
  );
  if (!row) throw notFound();
  return toTokenView(row, now);
}

/** Ids of one user's working tokens within the actor's reach (live, or a rotated-out value in its grace), for bulk revocation. */
export async function listLiveTokenIds(actor: Actor, userId: string): Promise<string[]> {
  authorizeTokenAction(actor, "read");
  if (!isUuid(userId)) return [];
  const db = await getDb();
  const rows = await db
    .select({ id: tokens.id })
    .from(tokens)
    .where(and(tokensInReach(actor), eq(tokens.userId, userId), or(isNull(tokens.revokedAt), inGraceCondition(new Date()))))
    .limit(500);
  return rows.map((row) => row.id);
}
