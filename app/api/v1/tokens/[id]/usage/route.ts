import { tokenUsageOutput, toTokenUsageOutput } from "@/lib/api/schemas";
import { withToken } from "@/lib/api/with-token";
import { READ_TOKENS } from "@/lib/tokens/access";
import { getTokenUsage } from "@/lib/tokens/usage";

// GET /api/v1/tokens/{id}/usage — requests and failures per day (30 days), client addresses,
// last failures (SPEC §11); another organization's or rep's token: 404
export const GET = withToken<{ id: string }>(
  async ({ actor, params }) => Response.json(tokenUsageOutput.parse(toTokenUsageOutput(await getTokenUsage(actor, params.id)))),
  { permission: READ_TOKENS },
);

export const dynamic = "force-dynamic";
