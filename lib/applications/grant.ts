import { and, eq } from "drizzle-orm";
import type { Executor, Transaction } from "@/db";
import { applications } from "@/db/schema";
import { invalid } from "@/lib/shared/errors";
import { grantableScopes, loadCatalog, loadLiveCatalogs, type ApplicationCatalog } from "./catalog";
import type { GrantedScopes } from "./scopes";

const CHOOSE_APPLICATION = "Choose an application of your organization that takes new tokens.";

/**
 * The application a new token is for: the one asked for, if it is the organization's and not
 * archived; else (API clients written before applications) the one live application whose
 * catalog holds every requested permission, the built-in Tessera API first.
 */
export async function applicationForNewToken(
  executor: Executor,
  organizationId: string,
  applicationId: string | undefined,
  permissions: readonly string[],
): Promise<ApplicationCatalog> {
  if (applicationId !== undefined) {
    const catalog = await loadCatalog(executor, organizationId, applicationId);
    if (!catalog || catalog.archived) throw invalid({ applicationId: [CHOOSE_APPLICATION] });
    return catalog;
  }
  const catalogs = await loadLiveCatalogs(executor, organizationId);
  const holding = catalogs.filter((catalog) => unknownScopes(catalog, permissions).length === 0);
  const [first, second] = holding;
  if (first && (first.builtIn || !second)) return first;
  if (first)
    throw invalid({ applicationId: [`Choose an application: ${holding.map((c) => c.name).join(", ")} all offer these permissions.`] });
  // None holds them all: name what the application closest to the request lacks.
  const closest = catalogs[0];
  if (!closest) throw invalid({ applicationId: [CHOOSE_APPLICATION] });
  throw invalid({ permissions: unknownScopes(closest, permissions).map((scope) => `Unknown permission: ${scope}.`) });
}

/**
 * Checks a token's requested scopes against its application's catalog: every one must be a
 * scope the application offers (a deprecated one only if the token already holds it).
 */
export function assertScopesOffered(
  catalog: ApplicationCatalog,
  permissions: readonly string[],
  alreadyHeld: readonly string[] = [],
): void {
  const unknown = unknownScopes(catalog, permissions, alreadyHeld);
  if (unknown.length === 0) return;
  const deprecated = new Set(catalog.scopes.filter((scope) => scope.deprecated).map((scope) => scope.id));
  throw invalid({
    permissions: unknown.map((scope) =>
      deprecated.has(scope) ? `${scope} is deprecated and can no longer be granted.` : `Unknown permission for ${catalog.name}: ${scope}.`,
    ),
  });
}

function unknownScopes(catalog: ApplicationCatalog, permissions: readonly string[], alreadyHeld: readonly string[] = []): string[] {
  const offered = new Set(grantableScopes(catalog, alreadyHeld).map((scope) => scope.id));
  return permissions.filter((permission) => !offered.has(permission));
}

/**
 * Holds the application still (FOR SHARE, which an archive or a catalog change — both FOR UPDATE,
 * lib/applications/change.ts — waits for) until the caller's transaction ends: what the caller
 * reads of its catalog afterwards stays true until the change commits, so a grant cannot land on
 * an application archived, or a scope deprecated, in between.
 */
export async function holdApplication(tx: Transaction, organizationId: string, applicationId: string): Promise<void> {
  await tx
    .select({ id: applications.id })
    .from(applications)
    .where(and(eq(applications.organizationId, organizationId), eq(applications.id, applicationId)))
    .for("share");
}

/** Re-checks a new token's grant under holdApplication: the application takes new tokens and offers these scopes. */
export async function recheckNewGrant(tx: Transaction, organizationId: string, applicationId: string, permissions: readonly string[]) {
  await holdApplication(tx, organizationId, applicationId);
  const catalog = await loadCatalog(tx, organizationId, applicationId);
  if (!catalog || catalog.archived) throw invalid({ applicationId: [CHOOSE_APPLICATION] });
  assertScopesOffered(catalog, permissions);
  return catalog;
}

/** The admin-only scopes of a catalog, for the owner's-role check. */
export const adminOnlyScopeIds = (catalog: ApplicationCatalog) =>
  catalog.scopes.filter((scope) => scope.adminOnly).map((scope) => scope.id);

/** What a token granted these (already checked) scopes holds of the catalog. */
export function grantedFrom(catalog: ApplicationCatalog, permissions: readonly string[]): GrantedScopes {
  const wanted = new Set(permissions);
  const scopes = catalog.scopes.filter((scope) => wanted.has(scope.id) && !scope.deprecated);
  return {
    live: scopes.map((scope) => scope.id),
    adminOnly: scopes.filter((scope) => scope.adminOnly).map((scope) => scope.id),
    archived: catalog.archived,
  };
}
