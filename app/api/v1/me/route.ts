import { meOutput } from "@/lib/api/schemas";
import { withToken } from "@/lib/api/with-token";

// GET /api/v1/me — the calling token, its owner, organization and effective permissions
export const GET = withToken(async ({ principal }) =>
  Response.json(
    meOutput.parse({
      token: {
        id: principal.tokenId,
        account_sid: principal.accountSid,
        description: principal.description,
        expires_at: principal.expiresAt?.toISOString() ?? null,
        permissions: principal.permissions,
      },
      user: { id: principal.userId, username: principal.username, role: principal.role },
      organization: { id: principal.organizationId, slug: principal.organizationSlug },
    }),
  ),
);
