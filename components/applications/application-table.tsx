import Link from "next/link";
import type { ApplicationSummary } from "@/lib/applications/queries";
import { consolePath } from "@/lib/organizations/console-path";

/** The organization's applications: built in first, then by name (the order listApplications gives). */
export function ApplicationTable({ organizationSlug, applications }: { organizationSlug: string; applications: ApplicationSummary[] }) {
  return (
    <div className="table-wrap">
      <table className="token-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Audience</th>
            <th scope="col">Scopes</th>
            <th scope="col">Live tokens</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {applications.map((application) => {
            const live = application.scopes.filter((scope) => !scope.deprecated).length;
            const deprecated = application.scopes.length - live;
            return (
              <tr key={application.id} className={application.archived ? "row-revoked" : undefined}>
                <td>
                  <Link href={consolePath(organizationSlug, `/admin/applications/${application.id}`)} className="cell-title">
                    {application.name}
                  </Link>
                  {application.description ? <div className="muted small">{application.description}</div> : null}
                </td>
                <td className="mono small">{application.audience ?? <span className="muted">Tessera (the issuer)</span>}</td>
                <td>
                  {live.toLocaleString("en-US")}
                  {deprecated > 0 ? <span className="muted small"> (+{deprecated} deprecated)</span> : null}
                </td>
                <td>{application.liveTokens.toLocaleString("en-US")}</td>
                <td>
                  {application.builtIn ? <span className="badge">Built in</span> : null}
                  {application.archived ? <span className="badge badge-inactive">Archived</span> : null}
                  {!application.builtIn && !application.archived ? "Active" : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
