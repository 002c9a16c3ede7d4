import { fromApplicationBody, toApplicationOutput, updateApplicationBody } from "@/lib/api/application-schemas";
import { readJson } from "@/lib/api/body";
import { withToken } from "@/lib/api/with-token";
import { updateApplication } from "@/lib/applications/change";
import { getApplication } from "@/lib/applications/queries";

type Params = { id: string };

// GET /api/v1/applications/{id} — one application with its catalog and client secrets (never their values)
export const GET = withToken<Params>(
  async ({ actor, params }) => Response.json(toApplicationOutput(await getApplication(actor, params.id))),
  {
    permission: ["applications:read", "applications:write"],
  },
);

// PATCH /api/v1/applications/{id} — change fields, add or update scopes, replace presets, archive
export const PATCH = withToken<Params>(
  async ({ request, actor, params }) => {
    const body = await readJson(request, updateApplicationBody);
    await updateApplication(actor, params.id, fromApplicationBody(body));
    return Response.json(toApplicationOutput(await getApplication(actor, params.id)));
  },
  { permission: "applications:write" },
);

export const dynamic = "force-dynamic";
