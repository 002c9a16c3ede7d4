import Link from "next/link";
import type { Actor } from "@/lib/actor";
import { listOrganizationUsers } from "@/lib/reps/queries";
import { getToken, listAssignableReps, listTokens } from "@/lib/tokens/queries";
import { tokenListQuerySchema } from "@/lib/validation/token";
import { TokenFilters } from "./token-filters";
import { TokenWorkspace } from "./token-workspace";
import type { TokenPrefill } from "./types";

export type TokenSearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The token table page shared by /admin/tokens (whole organization) and /options (own tokens). */
export async function TokenPage({ actor, path, searchParams }: { actor: Actor; path: string; searchParams: TokenSearchParams }) {
  const admin = path.startsWith("/admin");
  const query = tokenListQuerySchema.parse({
    userId: admin ? first(searchParams.rep) : undefined,
    state: first(searchParams.state),
    search: first(searchParams.q),
    outsidePolicy: admin && first(searchParams.policy) === "outside" ? true : undefined,
    sort: first(searchParams.sort),
    cursor: first(searchParams.cursor),
  });
  const now = new Date();
  const scopedActor: Actor = admin ? actor : { ...actor, reach: "own" };
  const copyId = first(searchParams.copy);
  const [page, people, copied] = await Promise.all([
    listTokens(scopedActor, query, now),
    // Admins: everyone, since the rep filter also offers deactivated reps, whose tokens an admin
    // may still review; tokens can only be created for the active ones. Reps: themselves.
    admin ? listOrganizationUsers(actor) : listAssignableReps(scopedActor),
    copyId ? getToken(scopedActor, copyId, now).catch(() => null) : Promise.resolve(null),
  ]);
  const { policy } = page;
  const reps = people.filter((person) => person.active);
  const filterReps = admin ? people : null;
  const prefill: TokenPrefill | null = copied
    ? { userId: copied.userId, description: copied.description, permissions: copied.permissions, expiresAt: copied.expiresAt, createdAt: copied.createdAt }
    : null;

  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ rep: query.userId, state: query.state, q: query.search, policy: query.outsidePolicy ? "outside" : undefined, sort: query.sort })) {
    if (value) params.set(key, value);
  }
  const firstPage = `${path}?${params}`;
  const nextPage = page.nextCursor ? `${path}?${new URLSearchParams({ ...Object.fromEntries(params), cursor: page.nextCursor })}` : null;

  return (
    <>
      <TokenFilters path={path} reps={filterReps} query={query} />
      <p className="muted" aria-live="polite">
        {page.total.toLocaleString("en-US")} token{page.total === 1 ? "" : "s"}
        {query.cursor ? " · later page" : ""}
      </p>
      <TokenWorkspace
        key={`${query.userId ?? ""}|${query.state ?? ""}|${query.search ?? ""}|${query.outsidePolicy ?? ""}|${query.sort}|${query.cursor ?? ""}|${copyId ?? ""}`}
        context={{
          mode: admin ? "admin" : "own",
          currentUserId: actor.userId,
          reps,
          policy,
          now: now.toISOString(),
        }}
        tokens={page.tokens}
        initialPrefill={prefill}
        createFor={query.userId}
      />
      <nav className="pagination" aria-label="Pages">
        {query.cursor ? <Link href={firstPage}>First page</Link> : null}
        {nextPage ? <Link href={nextPage}>Next page</Link> : null}
      </nav>
    </>
  );
}
