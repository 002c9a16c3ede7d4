import { formatDateTime } from "@/components/ui/dates";
import type { AuditEntry } from "@/lib/audit/log";

const shortId = (id: string) => id.slice(0, 8);

function Target({ entry }: { entry: AuditEntry }) {
  if (entry.targetType === "token") {
    return (
      <>
        token <code title={entry.targetId ?? undefined}>{entry.targetId ? shortId(entry.targetId) : "?"}</code>
        {entry.targetUsername ? <div className="muted small">of {entry.targetUsername}</div> : null}
      </>
    );
  }
  if (entry.targetType === "user") return <>{entry.targetUsername ?? <code>{entry.targetId}</code>}</>;
  if (entry.targetType === "organization") return <>organization</>;
  if (entry.targetType === "webhook") {
    return (
      <>
        webhook endpoint <code title={entry.targetId ?? undefined}>{entry.targetId ? shortId(entry.targetId) : "?"}</code>
      </>
    );
  }
  return <span className="muted">—</span>;
}

/** The audit log: when, what, who, to whom, and what changed (old → new). */
export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <div className="table-wrap">
      <table className="token-table audit-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">Changes</th>
            <th scope="col">IP</th>
          </tr>
        </thead>
        <tbody>
          {entries.length === 0 ? (
            <tr>
              <td colSpan={6} className="empty">
                No events match.
              </td>
            </tr>
          ) : (
            entries.map((entry) => (
              <tr key={entry.id}>
                <td className="nowrap">{formatDateTime(entry.occurredAt)}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td>
                  {entry.actorUsername ?? <span className="muted">—</span>}
                  {entry.actorTokenId ? (
                    <div className="muted small">
                      via token <code title={entry.actorTokenId}>{shortId(entry.actorTokenId)}</code>
                    </div>
                  ) : null}
                </td>
                <td>
                  <Target entry={entry} />
                </td>
                <td>
                  <ul className="change-list">
                    {entry.changes.map((line) => (
                      <li key={line.field}>
                        <span className="muted">{line.field}:</span>{" "}
                        {"value" in line ? (
                          line.value
                        ) : (
                          <>
                            <del>{line.from}</del> → <ins>{line.to}</ins>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </td>
                <td className="small">{entry.ip ?? "—"}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
