import Link from "next/link";
import { formatDateTime } from "@/components/ui/dates";
import { consolePath } from "@/lib/organizations/console-path";
import type { WebhookEndpointView } from "@/lib/webhooks/endpoints";
import { isWebhookEvent, WEBHOOK_EVENT_LABELS } from "@/lib/webhooks/events";

/** The organization's webhook endpoints, newest first, each linking to its page. */
export function EndpointTable({ organizationSlug, endpoints }: { organizationSlug: string; endpoints: WebhookEndpointView[] }) {
  if (endpoints.length === 0) return <p className="empty">No endpoints yet: add one to receive token events.</p>;
  return (
    <div className="table-wrap">
      <table className="token-table">
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Events</th>
            <th scope="col">Status</th>
            <th scope="col">Added</th>
          </tr>
        </thead>
        <tbody>
          {endpoints.map((endpoint) => (
            <tr key={endpoint.id} className={endpoint.active ? undefined : "row-revoked"}>
              <td>
                <Link href={consolePath(organizationSlug, `/admin/webhooks/${endpoint.id}`)} className="cell-title mono">
                  {endpoint.url}
                </Link>
                {endpoint.description ? <div className="muted small">{endpoint.description}</div> : null}
              </td>
              <td className="small">{eventLabels(endpoint.events)}</td>
              <td>{endpoint.active ? "Enabled" : <span className="badge badge-inactive">Disabled</span>}</td>
              <td>{formatDateTime(endpoint.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const eventLabels = (events: readonly string[]) =>
  events.map((event) => (isWebhookEvent(event) ? WEBHOOK_EVENT_LABELS[event] : event)).join(", ");
