import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { EndpointWorkspace } from "@/components/webhooks/endpoint-workspace";
import { currentAdminActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";
import { DomainError } from "@/lib/shared/errors";
import { deliveryPageQuery, listWebhookDeliveries } from "@/lib/webhooks/deliveries";

export const metadata: Metadata = { title: "Webhook endpoint" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
type Props = { params: Promise<{ org: string; id: string }>; searchParams: Promise<SearchParams> };

export default async function WebhookEndpointPage({ params, searchParams }: Props) {
  const { org, id } = await params;
  const actor = await currentAdminActor(org);
  const query = deliveryPageQuery.parse({ cursor: first((await searchParams).cursor) });
  // Another organization's endpoint answers exactly like a missing one.
  const page = await listWebhookDeliveries(actor, id, query).catch((error: unknown) => {
    if (error instanceof DomainError && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  });
  const path = consolePath(org, `/admin/webhooks/${page.endpoint.id}`);
  return (
    <section className="stack">
      <div>
        <p className="small">
          <Link href={consolePath(org, "/admin/webhooks")}>Webhooks</Link>
        </p>
        <h1 className="mono">{page.endpoint.url}</h1>
        {page.endpoint.description ? <p className="muted">{page.endpoint.description}</p> : null}
      </div>
      <EndpointWorkspace endpoint={page.endpoint} />
      <section className="stack" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Deliveries</h2>
        <p className="muted small">
          Each event is retried after a failure (any answer but 2xx, or none within 10 seconds; redirects are not followed) 1, 2, 4 … 64
          minutes later, 8 attempts in all, then marked Failed.
        </p>
        <DeliveryLog endpointId={page.endpoint.id} deliveries={page.deliveries} />
        <nav className="pagination" aria-label="Pages">
          {query.cursor ? <Link href={path}>First page</Link> : null}
          {page.nextCursor ? <Link href={`${path}?${new URLSearchParams({ cursor: page.nextCursor })}`}>Next page</Link> : null}
        </nav>
      </section>
    </section>
  );
}
