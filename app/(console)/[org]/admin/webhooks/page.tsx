import type { Metadata } from "next";
import { AddEndpointButton } from "@/components/webhooks/add-endpoint-button";
import { EndpointTable } from "@/components/webhooks/endpoint-table";
import { currentAdminActor } from "@/lib/actions/console-action";
import { listWebhookEndpoints } from "@/lib/webhooks/endpoints";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const endpoints = await listWebhookEndpoints(await currentAdminActor(org));
  return (
    <section>
      <h1>Webhooks</h1>
      <p className="muted">
        Tessera POSTs your organization&apos;s token events (created, updated, revoked, rotated, expiring, expired, reused, leaked) to these
        endpoints as they happen, signed per the Standard Webhooks specification, and retries failed deliveries with backoff.
      </p>
      <div className="toolbar">
        <AddEndpointButton />
      </div>
      <EndpointTable organizationSlug={org} endpoints={endpoints} />
    </section>
  );
}
