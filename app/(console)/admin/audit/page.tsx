import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { listAuditEvents } from "@/lib/audit/log";
import { currentActor } from "@/lib/actions/console-action";
import { listPeople } from "@/lib/reps/queries";
import { requireAdmin } from "@/lib/auth/session";
import { auditQueryFromParams, auditQuerySchema } from "@/lib/validation/audit";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  await requireAdmin();
  const actor = await currentActor();
  const params = await searchParams;
  const raw = auditQueryFromParams((name) => params[name]);
  const query = auditQuerySchema.parse(raw);
  const [page, people] = await Promise.all([listAuditEvents(actor, raw), listPeople(actor)]);

  // The same filters, as URL parameters, for the export and the pages.
  const filters = new URLSearchParams();
  for (const [key, value] of Object.entries({
    action: query.action,
    actor: query.actorId,
    rep: query.targetUserId,
    from: query.from,
    to: query.to,
  })) {
    if (value) filters.set(key, value);
  }
  const nextPage = page.nextCursor
    ? `/admin/audit?${new URLSearchParams({ ...Object.fromEntries(filters), cursor: page.nextCursor })}`
    : null;

  return (
    <section>
      <h1>Audit log</h1>
      <p className="muted">Every sign-in and change in your organization, newest first. Times are UTC.</p>
      <AuditFilters people={people} query={query} />
      <div className="toolbar">
        <a className="button" href={`/admin/audit/export?${filters}`} download>
          Download CSV
        </a>
        {query.cursor ? <span className="muted">Later page</span> : null}
      </div>
      <AuditTable entries={page.entries} />
      <nav className="pagination" aria-label="Pages">
        {query.cursor ? <Link href={`/admin/audit?${filters}`}>First page</Link> : null}
        {nextPage ? <Link href={nextPage}>Next page</Link> : null}
      </nav>
    </section>
  );
}
