import type { Metadata } from "next";
import Link from "next/link";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { listAuditEvents } from "@/lib/audit/log";
import { currentAdminActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";
import { listPeople } from "@/lib/reps/queries";
import { auditQueryFromParams, auditQuerySchema } from "@/lib/validation/audit";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Record<string, string | string[] | undefined>;

type Props = { params: Promise<{ org: string }>; searchParams: Promise<SearchParams> };

export default async function AuditPage({ params, searchParams }: Props) {
  const { org } = await params;
  const actor = await currentAdminActor(org);
  const path = consolePath(org, "/admin/audit");
  const search = await searchParams;
  const raw = auditQueryFromParams((name) => search[name]);
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
  const nextPage = page.nextCursor ? `${path}?${new URLSearchParams({ ...Object.fromEntries(filters), cursor: page.nextCursor })}` : null;

  return (
    <section>
      <h1>Audit log</h1>
      <p className="muted">Every sign-in and change in your organization, newest first. Times are UTC.</p>
      <AuditFilters path={path} people={people} query={query} />
      <div className="toolbar">
        <a className="button" href={`${path}/export?${filters}`} download>
          Download CSV
        </a>
        {query.cursor ? <span className="muted">Later page</span> : null}
      </div>
      <AuditTable entries={page.entries} />
      <nav className="pagination" aria-label="Pages">
        {query.cursor ? <Link href={`${path}?${filters}`}>First page</Link> : null}
        {nextPage ? <Link href={nextPage}>Next page</Link> : null}
      </nav>
    </section>
  );
}
