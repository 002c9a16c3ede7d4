import { toWebhookDeliveryOutput, webhookDeliveryOutput } from "@/lib/api/webhook-schemas";
import { withToken } from "@/lib/api/with-token";
import { resendWebhookDelivery } from "@/lib/webhooks/deliveries";

type Params = { id: string; deliveryId: string };

// POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/resend — send a delivered or failed delivery again now
export const POST = withToken<Params>(
  async ({ actor, params }) =>
    Response.json(webhookDeliveryOutput.parse(toWebhookDeliveryOutput(await resendWebhookDelivery(actor, params.id, params.deliveryId)))),
  { permission: "tokens:admin" },
);

export const dynamic = "force-dynamic";
