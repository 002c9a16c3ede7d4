import { toWebhookDeliveryOutput, webhookDeliveryOutput } from "@/lib/api/webhook-schemas";
import { withToken } from "@/lib/api/with-token";
import { sendTestEvent } from "@/lib/webhooks/deliveries";

type Params = { id: string };

// POST /api/v1/webhooks/{id}/test — send a webhook.test event now; answers the delivery after its first attempt
export const POST = withToken<Params>(
  async ({ actor, params }) =>
    Response.json(webhookDeliveryOutput.parse(toWebhookDeliveryOutput(await sendTestEvent(actor, params.id))), { status: 201 }),
  { permission: "tokens:admin" },
);

export const dynamic = "force-dynamic";
