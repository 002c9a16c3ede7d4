import { formatCount } from "@/components/ui/counts";
import Link from "next/link";
import { TokenFilters } from "@/components/tokens/token-filters";
import { TokenWorkspace } from "@/components/tokens/token-workspace";
import type { TokenPageContext, TokenPrefill } from "@/components/tokens/types";
import type { Actor } from "@/lib/auth/actor";
import { listApplicationChoices } from "@/lib/applications/queries";
import { listPeople } from "@/lib/reps/queries";
import { mayChooseAccountSid } from "@/lib/tokens/access";
import { getToken, listTokens } from "@/lib/tokens/queries";
import { tokenListQuerySchema } from "@/lib/validation/token";

export type TokenSearchParams = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

type TokenPageProps = {
  actor: Actor;
  /**
   * Chosen by the page, never guessed from the URL. "admin": every token the actor reaches, with the
   * rep filter (/admin/tokens); "own": the actor's own (/options). The data layer authorizes either way.
   */
  mode: TokenPageContext["mode"];
  path: string;
  searchParams: TokenSearchParams;
  /** Options of a person in several organizations: where else the create dialog can make their token. */
  organizations?: TokenPageContext["organizations"];
};

/** The token table page shared by /admin/tokens (whole organization) and /options (own tokens). */
export async function TokenPage({ actor, mode, path, searchParams, organizations }: TokenPageProps) {
  const admin = mode === "admin";
  const query = tokenListQuerySchema.parse({
    userId: admin ? first(searchParams.rep) : undefined,
    applicationId: first(searchParams.app),
    state: first(searchParams.state),
    search: first(searchParams.q),
    outsidePolicy: admin && first(searchParams.policy) === "outside" ? true : undefined,
    sort: first(searchParams.sort),
    cursor: first(searchParams.cursor),
  });
  const now = new Date();
  // Options narrows the list to the actor's own tokens; that is a filter, not authorization,
  // which the data layer does on its own for every call.
  const ownerFilter = admin ? query.userId : actor.userId;
  const copyId = first(searchParams.copy);
  const [page, people, applications, copiedToken] = await Promise.all([
    listTokens(actor, { ...query, userId: ownerFilter }, now),
    // Admins: everyone, since the rep filter also offers deactivated reps, whose tokens an admin
    // may still review; tokens can only be created for the active ones. Options: the actor.
    listPeople(actor),
    listApplicationChoices(actor),
    copyId ? getToken(actor, copyId, now).catch(() => null) : Promise.resolve(null),
  ]);
  const copied = copiedToken && (admin || copiedToken.userId === actor.userId) ? copiedToken : null;
  const { policy } = page;
  const reps = people.filter((person) => person.active && (admin || person.id === actor.userId));
  const filterReps = admin ? people : null;
  const prefill: TokenPrefill | null = copied
    ? {
        userId: copied.userId,
        applicationId: copied.application.id,
        description: copied.description,
        permissions: copied.permissions,
        expiresAt: copied.expiresAt,
        createdAt: copied.createdAt,
        allowedCidrs: copied.allowedCidrs,
        rateLimitPerMinute: copied.rateLimitPerMinute,
        validFrom: copied.validFrom,
      }
    : null;

  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({
    rep: query.userId,
    app: query.applicationId,
    state: query.state,
    q: query.search,
    policy: query.outsidePolicy ? "outside" : undefined,
    sort: query.sort,
  })) {
    if (value) params.set(key, value);
  }
  const firstPage = `${path}?${params}`;
  const nextPage = page.nextCursor ? `${path}?${new URLSearchParams({ ...Object.fromEntries(params), cursor: page.nextCursor })}` : null;

  return (
    <>
      <TokenFilters path={path} reps={filterReps} applications={applications} query={query} />
      <p className="muted" aria-live="polite">
        {formatCount(page, "token")}
        {query.cursor ? " · later page" : ""}
      </p>
      <TokenWorkspace
        key={`${query.userId ?? ""}|${query.applicationId ?? ""}|${query.state ?? ""}|${query.search ?? ""}|${query.outsidePolicy ?? ""}|${query.sort}|${query.cursor ?? ""}|${copyId ?? ""}`}
        context={{
          mode,
          canChooseAccountSid: mayChooseAccountSid(actor),
          currentUserId: actor.userId,
          reps,
          applications,
          policy,
          now: now.toISOString(),
          organizations,
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
