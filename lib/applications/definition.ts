import type { Executor } from "@/db";
import { applicationPresets, applications, applicationScopes, type Application } from "@/db/schema";
import { ADMIN_ONLY_PERMISSIONS, PERMISSION_DESCRIPTIONS, PERMISSION_GROUPS, PERMISSIONS } from "@/lib/permissions/catalog";

/** An application as code describes it: the built-in one, and the demo data's. */
export type ApplicationDefinition = {
  slug: string;
  name: string;
  description: string;
  audience: string | null;
  docsUrl: string | null;
  builtIn?: boolean;
  scopes: { id: string; description: string; group: string; docsUrl?: string | null; adminOnly?: boolean }[];
  presets: { name: string; scopes: string[] }[];
};

const adminOnly: ReadonlySet<string> = new Set(ADMIN_ONLY_PERMISSIONS);

/** The built-in application every organization has: Tessera's own permissions (SPEC §9). */
export const TESSERA_API: ApplicationDefinition = {
  slug: "tessera-api",
  name: "Tessera API",
  description: "Manage this organization's access tokens, reps, audit log and applications.",
  audience: null,
  docsUrl: null,
  builtIn: true,
  scopes: PERMISSIONS.map((id) => ({
    id,
    description: PERMISSION_DESCRIPTIONS[id],
    group: PERMISSION_GROUPS[id],
    adminOnly: adminOnly.has(id),
  })),
  presets: [{ name: "Token automation", scopes: ["tokens:read", "tokens:write"] }],
};

/** Creates an application with its catalog and presets, in the caller's transaction. */
export async function installApplication(
  executor: Executor,
  organizationId: string,
  definition: ApplicationDefinition,
): Promise<Application> {
  const [application] = await executor
    .insert(applications)
    .values({
      organizationId,
      slug: definition.slug,
      name: definition.name,
      description: definition.description,
      audience: definition.audience,
      docsUrl: definition.docsUrl,
      builtIn: definition.builtIn ?? false,
    })
    .returning();
  if (!application) throw new Error("application insert returned no row");
  if (definition.scopes.length > 0) {
    await executor.insert(applicationScopes).values(
      definition.scopes.map((scope, index) => ({
        organizationId,
        applicationId: application.id,
        scope: scope.id,
        description: scope.description,
        group: scope.group,
        docsUrl: scope.docsUrl ?? null,
        adminOnly: scope.adminOnly ?? false,
        position: index + 1,
      })),
    );
  }
  if (definition.presets.length > 0) {
    await executor.insert(applicationPresets).values(
      definition.presets.map((preset, index) => ({
        organizationId,
        applicationId: application.id,
        name: preset.name,
        scopes: preset.scopes,
        position: index + 1,
      })),
    );
  }
  return application;
}
