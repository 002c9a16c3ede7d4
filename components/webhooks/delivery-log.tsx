import { formatDateTime } from "@/components/ui/dates";
import { ResendButton } from "@/components/webhooks/resend-button";
import type { WebhookDeliveryView } from "@/lib/webhooks/deliveries";

const STATUS_LABELS = { delivered: "Delivered", pending: "Retrying", failed: "Failed" } as const;
const STATUS_BADGES = { delivered: "badge badge-sent", pending: "badge badge-pending", failed: "badge badge-failed" } as const;

/** An endpoint's deliveries, newest first: what was sent, how it went, and when it is retried. */
export function DeliveryLog({ endpointId, deliveries }: { endpointId: string; deliveries: WebhookDeliveryView[] }) {
  if (deliveries.length === 0) return <p className="empty">No deliveries yet. Send a test event to try the endpoint.</p>;
  return (
    <div className="table-wrap">
      <table className="token-table" aria-label="Deliveries">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
            <th scope="col">Response</th>
            <th scope="col">Attempts</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => {
            const label = delivery.status === "pending" && delivery.attempts === 0 ? "Pending" : STATUS_LABELS[delivery.status];
            return (
              <tr key={delivery.id}>
                <td>
                  <code>{delivery.eventType}</code>
                  <div className="muted small mono">{delivery.id}</div>
                </td>
                <td>{formatDateTime(delivery.createdAt)}</td>
                <td>
                  <span className={STATUS_BADGES[delivery.status]}>{label}</span>
                  {delivery.nextAttemptAt && delivery.attempts > 0 ? (
                    <div className="muted small">Next attempt {formatDateTime(delivery.nextAttemptAt)}</div>
                  ) : null}
                </td>
                <td>
                  {delivery.lastStatus !== null ? `HTTP ${delivery.lastStatus}` : <span className="muted">none</span>}
                  {delivery.lastError && delivery.lastStatus === null ? (
                    <div className="small text-danger">{delivery.lastError}</div>
                  ) : null}
                </td>
                <td>{delivery.attempts}</td>
                <td>{delivery.status === "pending" ? null : <ResendButton endpointId={endpointId} deliveryId={delivery.id} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
