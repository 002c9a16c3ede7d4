import { rotatedWebhookSecretOutput } from "@/lib/api/webhook-schemas";
import { withToken } from "@/lib/api/with-token";
import { rotateWebhookEndpointSecret } from "@/lib/webhooks/endpoints";

type Params = { id: string };

// POST /api/v1/webhooks/{id}/rotate-secret — a new signing secret (in this response only); the previous one signs for 24 more hours
export const POST = withToken<Params>(
  async ({ actor, params }) => {
    const rotated = await rotateWebhookEndpointSecret(actor, params.id);
    return Response.json(
      rotatedWebhookSecretOutput.parse({ secret: rotated.secret, previous_secret_expires_at: rotated.previousSecretExpiresAt }),
      { headers: { "Cache-Control": "no-store" } },
    );
  },
  { permission: "tokens:admin" },
);

export const dynamic = "force-dynamic";
