import { readJson } from "@/lib/api/body";
import {
  createdWebhookEndpointOutput,
  createWebhookBody,
  toWebhookEndpointOutput,
  webhookEndpointListOutput,
} from "@/lib/api/webhook-schemas";
import { withToken } from "@/lib/api/with-token";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/lib/webhooks/endpoints";

// GET /api/v1/webhooks — the organization's webhook endpoints (never their secrets)
export const GET = withToken(
  async ({ actor }) =>
    Response.json(webhookEndpointListOutput.parse({ data: (await listWebhookEndpoints(actor)).map(toWebhookEndpointOutput) })),
  { permission: "tokens:admin" },
);

// POST /api/v1/webhooks — add an endpoint; its signing secret is in this response only
export const POST = withToken(
  async ({ request, actor }) => {
    const body = await readJson(request, createWebhookBody);
    const { endpoint, secret } = await createWebhookEndpoint(actor, body);
    return Response.json(createdWebhookEndpointOutput.parse({ ...toWebhookEndpointOutput(endpoint), secret }), {
      status: 201,
      headers: { Location: `/api/v1/webhooks/${endpoint.id}`, "Cache-Control": "no-store" },
    });
  },
  { permission: "tokens:admin" },
);

export const dynamic = "force-dynamic";
