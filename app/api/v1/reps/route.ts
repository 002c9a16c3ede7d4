import { repListOutput, toRepOutput } from "@/lib/api/schemas";
import { withToken } from "@/lib/api/with-token";
import { listReps } from "@/lib/reps/queries";

// GET /api/v1/reps — every rep of the organization (reps:read, an admin-only permission)
export const GET = withToken(
  async ({ actor }) => {
    const reps = await listReps(actor);
    return Response.json(repListOutput.parse({ data: reps.map(toRepOutput) }));
  },
  { permission: "reps:read" },
);

export const dynamic = "force-dynamic";
