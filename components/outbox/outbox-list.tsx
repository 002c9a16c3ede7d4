import { formatDateTime } from "@/components/ui/dates";
import type { OutboxEntry } from "@/lib/notifications/outbox";

const STATUS_LABELS = { pending: "Waiting", sent: "Sent", failed: "Gave up" } as const;

/** Each mail as a disclosure: the summary line, then the full body and delivery details. */
export function OutboxList({ entries }: { entries: OutboxEntry[] }) {
  if (entries.length === 0) return <p className="notice">No mail yet.</p>;
  return (
    <ul className="outbox-list">
      {entries.map((entry) => (
        <li key={entry.id} className="card outbox-entry">
          <details>
            <summary>
              <span className="cell-title">{entry.subject}</span>
              <span className={`badge badge-${entry.status}`}>{STATUS_LABELS[entry.status]}</span>
              <div className="muted small">
                To {entry.recipient} · {formatDateTime(entry.createdAt)} · <code>{entry.kind}</code>
              </div>
            </summary>
            <dl className="outbox-meta small">
              <dt>Delivery</dt>
              <dd>
                {entry.sentAt
                  ? `Sent ${formatDateTime(entry.sentAt)} after ${entry.attempts} attempt${entry.attempts === 1 ? "" : "s"}.`
                  : entry.attempts === 0
                    ? "Not attempted."
                    : `${entry.attempts} failed attempt${entry.attempts === 1 ? "" : "s"}${entry.status === "pending" ? `; next after ${formatDateTime(entry.nextAttemptAt)}` : ""}.`}
              </dd>
              {entry.lastError ? (
                <>
                  <dt>Last error</dt>
                  <dd className="text-danger">{entry.lastError}</dd>
                </>
              ) : null}
            </dl>
            <pre className="mail-body">{entry.body}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
