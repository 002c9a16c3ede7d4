import { importBody, importOutput, toImportOutput } from "@/lib/api/application-schemas";
import { readJson } from "@/lib/api/body";
import { withToken } from "@/lib/api/with-token";
import { applyImport, previewImport } from "@/lib/applications/import";
import { getApplication } from "@/lib/applications/queries";

type Params = { id: string };

const MAX_DOCUMENT_BYTES = 1024 * 1024 + 4096;

// POST /api/v1/applications/{id}/import — an OpenAPI document's OAuth2 scopes become the catalog (dry_run: preview only)
export const POST = withToken<Params>(
  async ({ request, actor, params }) => {
    // Another organization's application is 404 whatever the body, as for one that does not exist.
    await getApplication(actor, params.id);
    const body = await readJson(request, importBody, MAX_DOCUMENT_BYTES);
    const result = body.dry_run ? await previewImport(actor, params.id, body.document) : await applyImport(actor, params.id, body.document);
    return Response.json(importOutput.parse(toImportOutput(result.title, result.diff, !body.dry_run)));
  },
  { permission: "applications:write" },
);

export const dynamic = "force-dynamic";
