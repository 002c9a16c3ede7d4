import { applicationListOutput, createApplicationBody, fromApplicationBody, toApplicationOutput } from "@/lib/api/application-schemas";
import { readJson } from "@/lib/api/body";
import { withToken } from "@/lib/api/with-token";
import { createApplication } from "@/lib/applications/change";
import { listApplications } from "@/lib/applications/queries";

// GET /api/v1/applications — the organization's applications with their scopes and presets
export const GET = withToken(
  async ({ actor }) => Response.json(applicationListOutput.parse({ data: (await listApplications(actor)).map(toApplicationOutput) })),
  { permission: ["applications:read", "applications:write"] },
);

// POST /api/v1/applications — create an application, optionally with its scopes and presets
export const POST = withToken(
  async ({ request, actor }) => {
    const body = await readJson(request, createApplicationBody);
    const application = await createApplication(actor, { ...fromApplicationBody(body), name: body.name, audience: body.audience });
    return Response.json(toApplicationOutput(application), {
      status: 201,
      headers: { Location: `/api/v1/applications/${application.id}` },
    });
  },
  { permission: "applications:write" },
);

export const dynamic = "force-dynamic";
