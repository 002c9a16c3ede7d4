import { getDb } from "@/db";
import type { Actor } from "@/lib/auth/actor";
import { recordChange } from "@/lib/audit/record";
import { invalid, notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import { assertNotBuiltIn, authorizeApplications } from "./access";
import { loadCatalog, type ApplicationCatalog } from "./catalog";
import { applicationTarget, lockApplication, upsertScopes } from "./change";
import { diffCatalog, scopesFromOpenApi, type CatalogDiff } from "./openapi-import";

export type ImportPreview = { title: string; diff: CatalogDiff };

/**
 * What importing this OpenAPI document would do to the application's catalog: its OAuth2 scopes
 * added or updated, and the live scopes it no longer lists deprecated (never deleted: restoring one
 * brings it back to the tokens that store it). Nothing is saved. An invalid document is a 422 listing why.
 */
export async function previewImport(actor: Actor, applicationId: string, document: string): Promise<ImportPreview> {
  authorizeApplications(actor, "write");
  const catalog = await catalogFor(actor, applicationId);
  const imported = await parseDocument(document);
  return { title: imported.title, diff: diffCatalog(catalog.scopes, imported.scopes) };
}

async function parseDocument(document: string) {
  const result = await scopesFromOpenApi(document);
  if (!result.ok) throw invalid({ document: result.errors }, "The document cannot be imported.");
  return result;
}

/** Applies an import (as previewed) in one transaction with its audit event; returns the preview it applied. */
export async function applyImport(actor: Actor, applicationId: string, document: string, now = new Date()): Promise<ImportPreview> {
  authorizeApplications(actor, "write");
  await catalogFor(actor, applicationId);
  const imported = await parseDocument(document);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const application = await lockApplication(tx, actor, applicationId);
    // The diff is taken under the lock, against the catalog as it is now.
    const current = await loadCatalog(tx, actor.organizationId, applicationId);
    const diff = diffCatalog(current?.scopes ?? [], imported.scopes);
    const existing = new Map((current?.scopes ?? []).map((scope) => [scope.id, { deprecated: scope.deprecated }]));
    const asScope = (scope: { id: string; description: string; group: string; docsUrl: string | null }, deprecated: boolean) => ({
      id: scope.id,
      description: scope.description,
      group: scope.group,
      docsUrl: scope.docsUrl,
      deprecated,
    });
    await upsertScopes(
      tx,
      application,
      [
        ...diff.added.map((scope) => asScope(scope, false)),
        ...diff.changed.map((change) => asScope(change.after, false)),
        ...diff.revived.map((scope) => asScope(scope, false)),
        ...diff.deprecated.map((scope) => asScope(scope, true)),
      ],
      existing,
      now,
    );
    await recordChange(tx, actor, "application.imported", applicationTarget(application), {
      title: imported.title,
      added: diff.added.map((scope) => scope.id),
      changed: diff.changed.map((change) => change.id),
      revived: diff.revived.map((scope) => scope.id),
      deprecated: diff.deprecated.map((scope) => scope.id),
    });
    return { title: imported.title, diff };
  });
}

async function catalogFor(actor: Actor, applicationId: string): Promise<ApplicationCatalog> {
  if (!isUuid(applicationId)) throw notFound("Application");
  const catalog = await loadCatalog(await getDb(), actor.organizationId, applicationId);
  if (!catalog) throw notFound("Application");
  assertNotBuiltIn(catalog);
  if (catalog.archived) throw invalid({ document: [`${catalog.name} is archived: unarchive it before importing.`] });
  return catalog;
}
