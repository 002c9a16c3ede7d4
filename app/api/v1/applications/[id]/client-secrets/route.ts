import { createdClientSecretOutput } from "@/lib/api/application-schemas";
import { withToken } from "@/lib/api/with-token";
import { createClientSecret } from "@/lib/applications/client-secrets";

type Params = { id: string };

// POST /api/v1/applications/{id}/client-secrets — a new client secret (at most two live), shown once
export const POST = withToken<Params>(
  async ({ actor, params }) => {
    const { secret, value } = await createClientSecret(actor, params.id);
    return Response.json(
      createdClientSecretOutput.parse({
        client_id: params.id,
        client_secret: value,
        secret: { id: secret.id, hint: secret.hint, created_at: secret.createdAt, last_used_at: secret.lastUsedAt },
      }),
      { status: 201, headers: { "Cache-Control": "no-store" } },
    );
  },
  { permission: "applications:write" },
);

export const dynamic = "force-dynamic";
