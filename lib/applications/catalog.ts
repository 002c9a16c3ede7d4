import { and, asc, desc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { applicationPresets, applications, applicationScopes } from "@/db/schema";

export type ScopeDefinition = {
  id: string;
  description: string;
  group: string;
  docsUrl: string | null;
  adminOnly: boolean;
  deprecated: boolean;
};

export type PresetDefinition = { id: string; name: string; scopes: string[] };

/** One application with its scope catalog and presets, as the create dialog and the checks see it. */
export type ApplicationCatalog = {
  id: string;
  slug: string;
  name: string;
  description: string;
  /** Null for the built-in Tessera API (its audience is the issuer). */
  audience: string | null;
  docsUrl: string | null;
  builtIn: boolean;
  archived: boolean;
  scopes: ScopeDefinition[];
  presets: PresetDefinition[];
};

/** One application of the organization with its catalog, or undefined (also for another organization's). */
export async function loadCatalog(
  executor: Executor,
  organizationId: string,
  applicationId: string,
): Promise<ApplicationCatalog | undefined> {
  const [catalog] = await loadCatalogsWhere(executor, organizationId, eq(applications.id, applicationId));
  return catalog;
}

/** The organization's applications that take new tokens (not archived), built-in first, with their catalogs. */
export async function loadLiveCatalogs(executor: Executor, organizationId: string): Promise<ApplicationCatalog[]> {
  return loadCatalogsWhere(executor, organizationId, isNull(applications.archivedAt));
}

/** The organization's applications (those matching `where`), built-in first, then by name. */
export async function loadCatalogsWhere(executor: Executor, organizationId: string, where?: SQL): Promise<ApplicationCatalog[]> {
  const apps = await executor
    .select()
    .from(applications)
    .where(and(eq(applications.organizationId, organizationId), where))
    .orderBy(desc(applications.builtIn), asc(applications.name));
  if (apps.length === 0) return [];
  const ids = apps.map((app) => app.id);
  const [scopes, presets] = await Promise.all([
    executor
      .select()
      .from(applicationScopes)
      .where(and(eq(applicationScopes.organizationId, organizationId), inArray(applicationScopes.applicationId, ids)))
      .orderBy(asc(applicationScopes.position), asc(applicationScopes.scope)),
    executor
      .select()
      .from(applicationPresets)
      .where(and(eq(applicationPresets.organizationId, organizationId), inArray(applicationPresets.applicationId, ids)))
      .orderBy(asc(applicationPresets.position), asc(applicationPresets.name)),
  ]);
  return apps.map((app) => ({
    id: app.id,
    slug: app.slug,
    name: app.name,
    description: app.description,
    audience: app.audience,
    docsUrl: app.docsUrl,
    builtIn: app.builtIn,
    archived: app.archivedAt !== null,
    scopes: scopes
      .filter((scope) => scope.applicationId === app.id)
      .map((scope) => ({
        id: scope.scope,
        description: scope.description,
        group: scope.group,
        docsUrl: scope.docsUrl,
        adminOnly: scope.adminOnly,
        deprecated: scope.deprecatedAt !== null,
      })),
    presets: presets
      .filter((preset) => preset.applicationId === app.id)
      .map((preset) => ({ id: preset.id, name: preset.name, scopes: preset.scopes })),
  }));
}

/** The scopes a grant may name: the live ones, and deprecated ones the token already stores (kept, not honoured). */
export function grantableScopes(catalog: ApplicationCatalog, alreadyHeld: readonly string[] = []): ScopeDefinition[] {
  const held = new Set(alreadyHeld);
  return catalog.scopes.filter((scope) => !scope.deprecated || held.has(scope.id));
}
