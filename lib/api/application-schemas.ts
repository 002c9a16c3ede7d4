import { z } from "zod";
import type { ApplicationCatalog } from "@/lib/applications/catalog";
import type { CatalogDiff } from "@/lib/applications/openapi-import";
import type { ClientSecretView } from "@/lib/applications/queries";
import { getEnv } from "@/lib/env";

// The wire format of /api/v1/applications (snake_case), shaping every response and request.
const timestamp = z.iso.datetime({ offset: true });

const scopeOutput = z.object({
  id: z.string(),
  description: z.string(),
  group: z.string(),
  docs_url: z.string().nullable(),
  admin_only: z.boolean(),
  deprecated: z
    .boolean()
    .meta({ description: "Stopped: neither offered nor effective; restoring it brings it back to the tokens that store it." }),
});

export const clientSecretOutput = z
  .object({ id: z.uuid(), hint: z.string(), created_at: timestamp, last_used_at: timestamp.nullable() })
  .meta({ id: "ClientSecret" });

export const applicationOutput = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    audience: z.string().meta({ description: "The `aud` of its tokens in introspection and exchanged JWTs." }),
    docs_url: z.string().nullable(),
    built_in: z.boolean(),
    archived: z.boolean(),
    client_id: z
      .string()
      .nullable()
      .meta({ description: "For HTTP Basic client authentication at introspection; null for the Tessera API." }),
    live_tokens: z.number().int().optional(),
    scopes: z.array(scopeOutput),
    presets: z.array(z.object({ name: z.string(), scopes: z.array(z.string()) })),
    client_secrets: z.array(clientSecretOutput).optional(),
  })
  .meta({ id: "Application" });

const toSecret = (secret: ClientSecretView) => ({
  id: secret.id,
  hint: secret.hint,
  created_at: secret.createdAt,
  last_used_at: secret.lastUsedAt,
});

export function toApplicationOutput(
  application: ApplicationCatalog & { liveTokens?: number; clientSecrets?: ClientSecretView[] },
): z.infer<typeof applicationOutput> {
  return applicationOutput.parse({
    id: application.id,
    slug: application.slug,
    name: application.name,
    description: application.description,
    audience: application.audience ?? getEnv().oauth.issuer,
    docs_url: application.docsUrl,
    built_in: application.builtIn,
    archived: application.archived,
    client_id: application.builtIn ? null : application.id,
    live_tokens: application.liveTokens,
    scopes: application.scopes.map((scope) => ({
      id: scope.id,
      description: scope.description,
      group: scope.group,
      docs_url: scope.docsUrl,
      admin_only: scope.adminOnly,
      deprecated: scope.deprecated,
    })),
    presets: application.presets.map((preset) => ({ name: preset.name, scopes: preset.scopes })),
    client_secrets: application.clientSecrets?.map(toSecret),
  });
}

export const applicationListOutput = z.object({ data: z.array(applicationOutput) }).meta({ id: "ApplicationList" });

const scopeInput = z
  .object({
    id: z.string(),
    description: z.string(),
    group: z.string().optional(),
    docs_url: z.string().nullable().optional(),
    admin_only: z.boolean().optional(),
    deprecated: z.boolean().optional(),
  })
  .strict();

const presetInput = z.object({ name: z.string(), scopes: z.array(z.string()) }).strict();

const applicationFields = {
  name: z.string(),
  description: z.string().optional(),
  audience: z.string(),
  docs_url: z.string().nullable().optional(),
  scopes: z.array(scopeInput).optional().meta({ description: "Added, or updated by id; a scope is never deleted, only deprecated." }),
  presets: z.array(presetInput).optional().meta({ description: "Replaces every preset of the application." }),
};

export const createApplicationBody = z.object(applicationFields).strict().meta({ id: "CreateApplicationRequest" });

export const updateApplicationBody = z
  .object({
    ...applicationFields,
    name: applicationFields.name.optional(),
    audience: applicationFields.audience.optional(),
    archived: z.boolean().optional(),
    stop_live_tokens: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta({ description: "Archiving stops the application's live tokens: repeat their number to confirm." }),
  })
  .strict()
  .meta({ id: "UpdateApplicationRequest" });

/** The request's scopes and presets as the data layer takes them. */
export function fromApplicationBody(body: z.infer<typeof updateApplicationBody>) {
  return {
    name: body.name,
    description: body.description,
    audience: body.audience,
    docsUrl: body.docs_url,
    scopes: body.scopes?.map((scope) => ({
      id: scope.id,
      description: scope.description,
      group: scope.group,
      docsUrl: scope.docs_url,
      adminOnly: scope.admin_only,
      deprecated: scope.deprecated,
    })),
    presets: body.presets,
    archived: body.archived,
    stopLiveTokens: body.stop_live_tokens,
  };
}

export const importBody = z
  .object({
    document: z.string().meta({ description: "An OpenAPI 3.0 or 3.1 document, JSON or YAML." }),
    dry_run: z.boolean().optional().meta({ description: "Only answer what the import would change." }),
  })
  .strict()
  .meta({ id: "ImportRequest" });

export const importOutput = z
  .object({
    title: z.string(),
    applied: z.boolean(),
    added: z.array(z.string()),
    changed: z.array(z.string()),
    revived: z.array(z.string()),
    deprecated: z.array(z.string()),
    unchanged: z.array(z.string()),
  })
  .meta({ id: "ImportResult" });

export function toImportOutput(title: string, diff: CatalogDiff, applied: boolean): z.infer<typeof importOutput> {
  return {
    title,
    applied,
    added: diff.added.map((scope) => scope.id),
    changed: diff.changed.map((change) => change.id),
    revived: diff.revived.map((scope) => scope.id),
    deprecated: diff.deprecated.map((scope) => scope.id),
    unchanged: diff.unchanged,
  };
}

export const createdClientSecretOutput = z
  .object({
    client_id: z.uuid(),
    client_secret: z.string().meta({ description: "Shown in this response only; store it now." }),
    secret: clientSecretOutput,
  })
  .meta({ id: "CreatedClientSecret" });
