import { withToken } from "@/lib/api/with-token";
import { revokeClientSecret } from "@/lib/applications/client-secrets";

type Params = { id: string; secretId: string };

// DELETE /api/v1/applications/{id}/client-secrets/{secretId} — revoke a client secret at once
export const DELETE = withToken<Params>(
  async ({ actor, params }) => {
    await revokeClientSecret(actor, params.id, params.secretId);
    return new Response(null, { status: 204 });
  },
  { permission: "applications:write" },
);

export const dynamic = "force-dynamic";
