import { meOutput, toMeOutput } from "@/lib/api/schemas";
import { withToken } from "@/lib/api/with-token";

// GET /api/v1/me — the calling token, its owner, organization and effective permissions
export const GET = withToken(async ({ principal }) => Response.json(meOutput.parse(toMeOutput(principal))));

export const dynamic = "force-dynamic";
