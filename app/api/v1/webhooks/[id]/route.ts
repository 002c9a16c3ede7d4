import { readJson } from "@/lib/api/body";
import { toWebhookEndpointOutput, updateWebhookBody } from "@/lib/api/webhook-schemas";
import { withToken } from "@/lib/api/with-token";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";

type Params = { id: string };

// GET /api/v1/webhooks/{id} — one endpoint (never its secrets)
export const GET = withToken<Params>(
  async ({ actor, params }) => Response.json(toWebhookEndpointOutput(await getWebhookEndpoint(actor, params.id))),
  {
    permission: "tokens:admin",
  },
);

// PATCH /api/v1/webhooks/{id} — change the URL, description, events, or switch it on or off
export const PATCH = withToken<Params>(
  async ({ request, actor, params }) => {
    const body = await readJson(request, updateWebhookBody);
    return Response.json(toWebhookEndpointOutput(await updateWebhookEndpoint(actor, params.id, body)));
  },
  { permission: "tokens:admin" },
);

// DELETE /api/v1/webhooks/{id} — delete the endpoint, its secrets and its delivery log
export const DELETE = withToken<Params>(
  async ({ actor, params }) => {
    await deleteWebhookEndpoint(actor, params.id);
    return new Response(null, { status: 204 });
  },
  { permission: "tokens:admin" },
);

export const dynamic = "force-dynamic";
