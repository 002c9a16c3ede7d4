import { repListOutput } from "@/lib/api/schemas";
import { withToken } from "@/lib/api/with-token";
import { listReps } from "@/lib/reps/queries";

// GET /api/v1/reps — every rep of the organization (reps:read, an admin-only permission)
export const GET = withToken(
  async ({ actor }) => {
    const reps = await listReps(actor);
    return Response.json(
      repListOutput.parse({
        data: reps.map((rep) => ({
          id: rep.id,
          username: rep.username,
          email: rep.email,
          display_name: rep.displayName,
          role: rep.role,
          active: rep.active,
        })),
      }),
    );
  },
  { permission: "reps:read" },
);
