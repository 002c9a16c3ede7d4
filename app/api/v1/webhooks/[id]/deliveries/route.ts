import { invalidCursor } from "@/lib/api/problem";
import { queryOf } from "@/lib/api/schemas";
import { toWebhookDeliveryOutput, webhookDeliveryListOutput, webhookDeliveryListQuery } from "@/lib/api/webhook-schemas";
import { withToken } from "@/lib/api/with-token";
import { decodeTimeCursor } from "@/lib/shared/keyset-cursor";
import { listWebhookDeliveries } from "@/lib/webhooks/deliveries";

type Params = { id: string };

// GET /api/v1/webhooks/{id}/deliveries — the endpoint's delivery log, newest first
export const GET = withToken<Params>(
  async ({ request, actor, params }) => {
    const query = queryOf(request, webhookDeliveryListQuery);
    if (query.cursor && !decodeTimeCursor(query.cursor)) throw invalidCursor();
    const page = await listWebhookDeliveries(actor, params.id, { cursor: query.cursor, limit: query.limit });
    return Response.json(
      webhookDeliveryListOutput.parse({ data: page.deliveries.map(toWebhookDeliveryOutput), next_cursor: page.nextCursor }),
    );
  },
  { permission: "tokens:admin" },
);

export const dynamic = "force-dynamic";
