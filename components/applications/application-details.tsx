import type { ApplicationDetail } from "@/lib/applications/queries";

/** The application's fields as a definition list; the client id is what resource servers send. */
export function ApplicationDetails({ application }: { application: ApplicationDetail }) {
  return (
    <dl className="detail-list">
      <dt>Audience</dt>
      <dd className="mono">{application.audience ?? "Tessera (the issuer)"}</dd>
      <dt>Docs</dt>
      <dd>
        {application.docsUrl ? (
          <a href={application.docsUrl} target="_blank" rel="noopener noreferrer">
            {application.docsUrl}
          </a>
        ) : (
          <span className="muted">none</span>
        )}
      </dd>
      <dt>Slug</dt>
      <dd className="mono">{application.slug}</dd>
      {application.builtIn ? null : (
        <>
          <dt>Client id</dt>
          <dd className="mono">{application.id}</dd>
        </>
      )}
      <dt>Live tokens</dt>
      <dd>{application.liveTokens.toLocaleString("en-US")}</dd>
      <dt>Status</dt>
      <dd>{application.builtIn ? "Built in" : application.archived ? "Archived" : "Active"}</dd>
    </dl>
  );
}
