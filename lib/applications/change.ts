import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Transaction } from "@/db";
import { isUniqueViolation } from "@/db/errors";
import { applicationPresets, applications, applicationScopes, type Application } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordChange, type AuditTarget, type Change } from "@/lib/audit/record";
import { getEnv } from "@/lib/env";
import { conflict, invalid, notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import {
  createApplicationSchema,
  updateApplicationSchema,
  type CreateApplicationInput,
  type ScopeInput,
  type UpdateApplicationInput,
} from "@/lib/validation/application";
import { assertNotBuiltIn, authorizeApplications } from "./access";
import { loadCatalog, type ApplicationCatalog } from "./catalog";
import { normalizeAudience } from "./audience";
import { countLiveTokens, slugTaken } from "./queries";

const AUDIENCE_TAKEN = "Another application of your organization already uses this audience.";
const NAME_TAKEN = "Another application of your organization already has this name.";
const SLUG_ATTEMPTS = 20;

export const applicationTarget = (application: Pick<Application, "id">): AuditTarget => ({ type: "application", id: application.id });

const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "application";

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  return parsed.data;
}

/**
 * One application of the actor's organization, locked for a change (FOR UPDATE), so concurrent
 * changes serialize; another organization's is "not found".
 */
export async function lockApplication(tx: Transaction, actor: Actor, id: string): Promise<Application> {
  if (!isUuid(id)) throw notFound("Application");
  const [application] = await tx
    .select()
    .from(applications)
    .where(and(eq(applications.organizationId, actor.organizationId), eq(applications.id, id)))
    .for("update");
  if (!application) throw notFound("Application");
  return application;
}

/** The issuer is the built-in Tessera API's audience: no other application may claim it, in any spelling. */
function assertAudienceFree(audience: string | undefined): void {
  if (audience !== undefined && audience === normalizeAudience(getEnv().oauth.issuer)) {
    throw invalid({ audience: ["This is Tessera's own audience (the Tessera API's); choose the URI your resource servers expect."] });
  }
}

/** Creates an application with any scopes and presets given, audited, in one transaction. */
export async function createApplication(actor: Actor, input: CreateApplicationInput): Promise<ApplicationCatalog> {
  authorizeApplications(actor, "write");
  const data = parse(createApplicationSchema, input);
  assertAudienceFree(data.audience);
  const db = await getDb();
  try {
    const id = await db.transaction(async (tx) => {
      const [application] = await tx
        .insert(applications)
        .values({
          organizationId: actor.organizationId,
          slug: await freeSlug(tx, actor.organizationId, slugOf(data.name)),
          name: data.name,
          description: data.description ?? "",
          audience: data.audience,
          docsUrl: data.docsUrl ?? null,
        })
        .returning();
      if (!application) throw new Error("application insert returned no row");
      const scopes = await upsertScopes(tx, application, data.scopes ?? [], new Map());
      await replacePresets(tx, application, data.presets, scopes);
      await recordChange(tx, actor, "application.created", applicationTarget(application), {
        name: application.name,
        audience: application.audience,
        docsUrl: application.docsUrl,
        scopes: (data.scopes ?? []).map((scope) => scope.id),
        presets: (data.presets ?? []).map((preset) => preset.name),
      });
      return application.id;
    });
    return await reload(actor, id);
  } catch (error) {
    throw translateUniqueViolation(error);
  }
}

/**
 * Changes an application: its fields, scopes (the ones given are added or updated; a scope is
 * never deleted, only deprecated), presets (replaced as a whole), and archiving. Archiving stops
 * every live token of the application, so the caller confirms how many (`stopLiveTokens`).
 */
export async function updateApplication(
  actor: Actor,
  id: string,
  input: UpdateApplicationInput,
  now = new Date(),
): Promise<ApplicationCatalog> {
  authorizeApplications(actor, "write");
  const patch = parse(updateApplicationSchema, input);
  assertAudienceFree(patch.audience);
  const db = await getDb();
  try {
    await db.transaction(async (tx) => {
      const current = await lockApplication(tx, actor, id);
      assertNotBuiltIn(current);
      const changes: Record<string, Change> = {};
      const values: Record<string, string | null> = {};
      for (const field of ["name", "description", "audience", "docsUrl"] as const) {
        const next = patch[field];
        if (next !== undefined && next !== current[field]) {
          changes[field] = { from: current[field], to: next };
          values[field] = next;
        }
      }
      if (Object.keys(values).length > 0) {
        await tx
          .update(applications)
          .set({ ...values, updatedAt: now })
          .where(eq(applications.id, current.id));
      }
      const existing = await currentScopes(tx, current);
      if (patch.scopes !== undefined) {
        const scopeChanges = await upsertScopes(tx, current, patch.scopes, existing, now);
        if (scopeChanges.changed.length > 0) changes.scopes = { from: null, to: scopeChanges.changed };
      }
      if (patch.presets !== undefined) {
        await replacePresets(tx, current, patch.presets, await currentScopes(tx, current));
        changes.presets = { from: null, to: patch.presets.map((preset) => preset.name) };
      }
      if (Object.keys(changes).length > 0) {
        await recordChange(tx, actor, "application.updated", applicationTarget(current), { changes });
      }
      if (patch.archived !== undefined && patch.archived !== (current.archivedAt !== null)) {
        await setArchived(tx, actor, current, patch.archived, patch.stopLiveTokens, now);
      }
    });
    return await reload(actor, id);
  } catch (error) {
    throw translateUniqueViolation(error);
  }
}

async function setArchived(
  tx: Transaction,
  actor: Actor,
  application: Application,
  archived: boolean,
  confirmed: number | undefined,
  now: Date,
) {
  const live = archived ? await countLiveTokens(tx, actor.organizationId, application.id, now) : 0;
  if (archived && live > 0 && confirmed !== live) {
    throw conflict(
      `Archiving ${application.name} stops its ${live} live token${live === 1 ? "" : "s"}. Confirm by archiving with stopLiveTokens = ${live}.`,
    );
  }
  await tx
    .update(applications)
    .set({ archivedAt: archived ? now : null, updatedAt: now })
    .where(eq(applications.id, application.id));
  await recordChange(tx, actor, archived ? "application.archived" : "application.unarchived", applicationTarget(application), {
    name: application.name,
    ...(archived ? { stoppedTokens: live } : {}),
  });
}

type ExistingScopes = Map<string, { deprecated: boolean }>;

async function currentScopes(tx: Transaction, application: Application): Promise<ExistingScopes> {
  const rows = await tx
    .select({ scope: applicationScopes.scope, deprecatedAt: applicationScopes.deprecatedAt })
    .from(applicationScopes)
    .where(and(eq(applicationScopes.organizationId, application.organizationId), eq(applicationScopes.applicationId, application.id)));
  return new Map(rows.map((row) => [row.scope, { deprecated: row.deprecatedAt !== null }]));
}

/** Adds new scopes (after the existing ones) and updates existing ones; returns the catalog after. */
export async function upsertScopes(
  tx: Transaction,
  application: Application,
  scopes: readonly ScopeInput[],
  existing: ExistingScopes,
  now = new Date(),
): Promise<{ changed: string[]; all: ExistingScopes }> {
  const all: ExistingScopes = new Map(existing);
  if (scopes.length === 0) return { changed: [], all };
  const [last] = await tx
    .select({ position: sql<number>`coalesce(max(${applicationScopes.position}), 0)::int` })
    .from(applicationScopes)
    .where(eq(applicationScopes.applicationId, application.id));
  let position = last?.position ?? 0;
  for (const scope of scopes) {
    const group = scope.group ?? scope.id.split(":")[0] ?? scope.id;
    const deprecatedAt = scope.deprecated === undefined ? undefined : scope.deprecated ? now : null;
    if (existing.has(scope.id)) {
      await tx
        .update(applicationScopes)
        .set({
          description: scope.description,
          group,
          ...(scope.docsUrl !== undefined ? { docsUrl: scope.docsUrl } : {}),
          ...(scope.adminOnly !== undefined ? { adminOnly: scope.adminOnly } : {}),
          ...(deprecatedAt !== undefined ? { deprecatedAt } : {}),
          updatedAt: now,
        })
        .where(and(eq(applicationScopes.applicationId, application.id), eq(applicationScopes.scope, scope.id)));
    } else {
      position += 1;
      await tx.insert(applicationScopes).values({
        organizationId: application.organizationId,
        applicationId: application.id,
        scope: scope.id,
        description: scope.description,
        group,
        docsUrl: scope.docsUrl ?? null,
        adminOnly: scope.adminOnly ?? false,
        deprecatedAt: deprecatedAt ?? null,
        position,
      });
    }
    all.set(scope.id, { deprecated: deprecatedAt === undefined ? (existing.get(scope.id)?.deprecated ?? false) : deprecatedAt !== null });
  }
  return { changed: scopes.map((scope) => scope.id), all };
}

async function replacePresets(
  tx: Transaction,
  application: Application,
  presets: readonly { name: string; scopes: string[] }[] | undefined,
  scopes: ExistingScopes | { all: ExistingScopes },
): Promise<void> {
  if (presets === undefined) return;
  const catalog = scopes instanceof Map ? scopes : scopes.all;
  const problems = presets.flatMap((preset) =>
    preset.scopes
      .filter((scope) => !catalog.has(scope) || catalog.get(scope)?.deprecated)
      .map((scope) => `${preset.name}: ${scope} is not a live scope of this application.`),
  );
  if (problems.length > 0) throw invalid({ presets: problems });
  await tx
    .delete(applicationPresets)
    .where(and(eq(applicationPresets.organizationId, application.organizationId), eq(applicationPresets.applicationId, application.id)));
  if (presets.length === 0) return;
  await tx.insert(applicationPresets).values(
    presets.map((preset, index) => ({
      organizationId: application.organizationId,
      applicationId: application.id,
      name: preset.name,
      scopes: [...new Set(preset.scopes)],
      position: index + 1,
    })),
  );
}

/**
 * The slug for a new application: its name's, or that with the first free "-2", "-3", … (a slug
 * names an application for good, so a renamed one keeps its own and its old name's stays taken;
 * names in other scripts all start from "application").
 */
async function freeSlug(tx: Transaction, organizationId: string, base: string): Promise<string> {
  for (let attempt = 1; attempt <= SLUG_ATTEMPTS; attempt += 1) {
    const slug = attempt === 1 ? base : `${base}-${attempt}`;
    if (!(await slugTaken(tx, organizationId, slug))) return slug;
  }
  return `${base}-${randomUUID().slice(0, 8)}`;
}

async function reload(actor: Actor, id: string): Promise<ApplicationCatalog> {
  const catalog = await loadCatalog(await getDb(), actor.organizationId, id);
  if (!catalog) throw notFound("Application");
  return catalog;
}

function translateUniqueViolation(error: unknown): unknown {
  if (isUniqueViolation(error, "applications_org_audience_key")) return invalid({ audience: [AUDIENCE_TAKEN] });
  if (isUniqueViolation(error, "applications_org_name_key")) return invalid({ name: [NAME_TAKEN] });
  // Two creations that picked the same free slug at once: the second may simply try again.
  if (isUniqueViolation(error, "applications_org_slug_key"))
    return conflict("Another application was just created with this name's slug: try again.");
  return error;
}
