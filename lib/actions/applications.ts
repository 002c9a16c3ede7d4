"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runConsoleChange } from "@/lib/actions/console-action";
import { fieldOf, idField, switchField } from "@/lib/actions/form-fields";
import { MALFORMED_REQUEST, succeeded, type FormState } from "@/lib/actions/form-state";
import { createApplication, updateApplication } from "@/lib/applications/change";
import { createClientSecret, revokeClientSecret } from "@/lib/applications/client-secrets";
import { applyImport, previewImport, type ImportPreview } from "@/lib/applications/import";
import { getApplication } from "@/lib/applications/queries";
import { invalid } from "@/lib/shared/errors";
import { scopeSchema } from "@/lib/validation/application";

// The console's application changes (SPEC §9): thin shells over lib/applications, which checks
// that the actor is an admin of the application's organization and refuses to touch the built-in
// Tessera API; runConsoleChange re-reads who is calling and requires sudo.

/** A created application, so the dialog can open its page. */
export interface ApplicationFormState extends FormState {
  applicationId?: string;
}

/** What an OpenAPI import would do (preview) or did (apply). */
export interface ImportFormState extends FormState {
  preview?: ImportPreview;
}

/** A new client secret's value, shown once with the client id it pairs with. */
export interface ClientSecretFormState extends FormState {
  created?: { clientId: string; value: string; hint: string };
}

// Generous bounds for what a person types; lib/validation/application.ts holds the real limits.
const typed = z.string().max(10_000).optional();
// An OpenAPI document: lib/applications/openapi-import.ts refuses anything over 1 MiB with a message.
const documentField = z.string().max(2 * 1024 * 1024);

function refreshApplicationPages() {
  revalidatePath("/[org]/admin/applications", "layout");
  // The token dialogs offer the catalogs.
  revalidatePath("/[org]/admin/tokens", "page");
  revalidatePath("/[org]/options", "page");
}

/** Blank is "not given" for optional text. */
const blankToUndefined = (value: string | undefined) => (value === undefined || value.trim() === "" ? undefined : value);

const applicationFields = z.object({ name: typed, audience: typed, docsUrl: typed, description: typed });

/** The named fields as zod should see them (see fieldOf). */
const fieldsOf = (formData: FormData, names: readonly string[]) => Object.fromEntries(names.map((name) => [name, fieldOf(formData, name)]));

/** The typed text of the named fields, to put back in the form after a refusal. */
function valuesOf(formData: FormData, names: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = formData.get(name);
    if (typeof value === "string") values[name] = value;
  }
  return values;
}

const APPLICATION_FIELDS = ["name", "audience", "docsUrl", "description"] as const;
const applicationFormValues = (formData: FormData) => valuesOf(formData, APPLICATION_FIELDS);

export async function createApplicationAction(_previous: ApplicationFormState, formData: FormData): Promise<ApplicationFormState> {
  const fields = applicationFields.safeParse(fieldsOf(formData, APPLICATION_FIELDS));
  if (!fields.success) return MALFORMED_REQUEST;
  const { name, audience, docsUrl, description } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) =>
    createApplication(actor, {
      name: name ?? "",
      audience: audience ?? "",
      docsUrl: blankToUndefined(docsUrl),
      description: blankToUndefined(description),
    }),
  );
  if (!outcome.ok) return { ...outcome.state, values: applicationFormValues(formData) };
  refreshApplicationPages();
  return { ...succeeded(`Created ${outcome.result.name}.`), applicationId: outcome.result.id };
}

const updateFields = applicationFields.extend({ id: idField });

/** Saves an application's name, audience, docs URL and description. */
export async function updateApplicationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = updateFields.safeParse(fieldsOf(formData, ["id", ...APPLICATION_FIELDS]));
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, name, audience, docsUrl, description } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) =>
    // An absent field stays as it is; a blank docs URL clears it.
    updateApplication(actor, id, {
      name,
      audience,
      description,
      docsUrl: docsUrl === undefined ? undefined : (blankToUndefined(docsUrl) ?? null),
    }),
  );
  if (!outcome.ok) return { ...outcome.state, values: applicationFormValues(formData) };
  refreshApplicationPages();
  return succeeded(`Saved ${outcome.result.name}.`);
}

const scopeFormFields = z.object({
  id: idField,
  mode: z.enum(["add", "edit"]),
  scopeId: typed,
  description: typed,
  group: typed,
  docsUrl: typed,
  adminOnly: z.literal("on").optional(),
});

/** Form field names of a scope, by the names the scope schema reports problems under. */
const SCOPE_FORM_NAMES: Record<string, string> = { id: "scopeId", description: "description", group: "group", docsUrl: "docsUrl" };

const scopeFormValues = (formData: FormData) => ({
  ...valuesOf(formData, ["scopeId", "description", "group", "docsUrl"]),
  adminOnly: formData.get("adminOnly") === "on" ? "on" : "",
});

/**
 * Adds a scope to an application's catalog ("add": refused if the id is taken) or changes one
 * ("edit": description, group, docs URL, admin only). A blank group falls back to the id's first part.
 */
export async function saveScopeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = scopeFormFields.safeParse(fieldsOf(formData, ["id", "mode", "scopeId", "description", "group", "docsUrl", "adminOnly"]));
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, mode, scopeId, description, group, docsUrl, adminOnly } = fields.data;
  const scope = scopeSchema.safeParse({
    id: scopeId?.trim() ?? "",
    description: description ?? "",
    group: blankToUndefined(group),
    docsUrl: blankToUndefined(docsUrl) ?? null,
    adminOnly: adminOnly === "on",
  });
  if (!scope.success) {
    const errors = z.flattenError(scope.error).fieldErrors;
    const fieldErrors = Object.fromEntries(Object.entries(errors).map(([name, messages]) => [SCOPE_FORM_NAMES[name] ?? name, messages]));
    return { ok: false, message: "Check the highlighted fields.", fieldErrors, values: scopeFormValues(formData) };
  }
  const outcome = await runConsoleChange(formData, async (actor) => {
    const current = await getApplication(actor, id);
    const existing = current.scopes.some((candidate) => candidate.id === scope.data.id);
    if (mode === "add" && existing) throw invalid({ scopeId: [`${current.name} already has ${scope.data.id}: edit it instead.`] });
    if (mode === "edit" && !existing) {
      const message = `${current.name} has no scope ${scope.data.id}.`;
      throw invalid({ scopeId: [message] }, message);
    }
    return updateApplication(actor, id, { scopes: [scope.data] });
  });
  if (!outcome.ok) return { ...outcome.state, values: scopeFormValues(formData) };
  refreshApplicationPages();
  return succeeded(mode === "add" ? `Added ${scope.data.id} to ${outcome.result.name}.` : `Saved ${scope.data.id}.`);
}

const deprecateFields = z.object({ id: idField, scopeId: z.string().max(200), deprecated: switchField });

/**
 * Deprecates a scope (no longer offered, and tokens holding it stop using it; it is never
 * deleted) or restores it. The scope keeps its description, group and docs link.
 */
export async function setScopeDeprecatedAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = deprecateFields.safeParse({
    id: fieldOf(formData, "id"),
    scopeId: fieldOf(formData, "scopeId"),
    deprecated: fieldOf(formData, "deprecated"),
  });
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, scopeId, deprecated } = fields.data;
  const outcome = await runConsoleChange(formData, async (actor) => {
    const current = await getApplication(actor, id);
    const scope = current.scopes.find((candidate) => candidate.id === scopeId);
    if (!scope) throw invalid({ scopeId: [`${current.name} has no scope ${scopeId}.`] }, `${current.name} has no scope ${scopeId}.`);
    return updateApplication(actor, id, { scopes: [{ id: scope.id, description: scope.description, group: scope.group, deprecated }] });
  });
  if (!outcome.ok) return outcome.state;
  refreshApplicationPages();
  return succeeded(
    deprecated
      ? `Deprecated ${scopeId}: new tokens cannot ask for it, and tokens holding it stop using it.`
      : `Restored ${scopeId}: tokens holding it use it again.`,
  );
}

// Shapes only: updateApplication validates names, scopes and duplicates, and answers in words.
const presetList = z.array(z.object({ name: z.string().max(1_000), scopes: z.array(z.string().max(200)).max(1_000) })).max(1_000);

const presetsFields = z.object({ id: idField, presets: z.string().max(200_000) });

/** Replaces an application's presets with the list in the "presets" field (JSON: `[{ name, scopes }]`). */
export async function savePresetsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = presetsFields.safeParse({ id: fieldOf(formData, "id"), presets: fieldOf(formData, "presets") });
  if (!fields.success) return MALFORMED_REQUEST;
  const presets = presetList.safeParse(parseJson(fields.data.presets));
  if (!presets.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => updateApplication(actor, fields.data.id, { presets: presets.data }));
  if (!outcome.ok) return { ...outcome.state, values: { presets: fields.data.presets } };
  refreshApplicationPages();
  return succeeded(`Saved the presets of ${outcome.result.name}.`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const importFields = z.object({ id: idField, document: documentField });

/**
 * What importing the OpenAPI document would change. Nothing is saved, yet reading a document is
 * work the server does for whoever asks (issue 24, finding 3), so it asks for the password like
 * every change does.
 */
export async function previewImportAction(_previous: ImportFormState, formData: FormData): Promise<ImportFormState> {
  const fields = importFields.safeParse({ id: fieldOf(formData, "id"), document: fieldOf(formData, "document") });
  if (!fields.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => previewImport(actor, fields.data.id, fields.data.document));
  if (!outcome.ok) return outcome.state;
  return { ...succeeded(null), preview: outcome.result };
}

/** Imports the OpenAPI document's scopes into the catalog (as previewed); returns what it did. */
export async function applyImportAction(_previous: ImportFormState, formData: FormData): Promise<ImportFormState> {
  const fields = importFields.safeParse({ id: fieldOf(formData, "id"), document: fieldOf(formData, "document") });
  if (!fields.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => applyImport(actor, fields.data.id, fields.data.document));
  if (!outcome.ok) return outcome.state;
  refreshApplicationPages();
  const { title, diff } = outcome.result;
  const parts = [
    [diff.added.length, "added"],
    [diff.changed.length, "changed"],
    [diff.revived.length, "restored"],
    [diff.deprecated.length, "deprecated"],
  ] as const;
  const summary = parts
    .filter(([count]) => count > 0)
    .map(([count, what]) => `${count} ${what}`)
    .join(", ");
  return { ...succeeded(`Imported ${title}: ${summary || "nothing changed"}.`), preview: outcome.result };
}

/** A new client secret (at most two live at a time); its value is returned once. */
export async function createClientSecretAction(_previous: ClientSecretFormState, formData: FormData): Promise<ClientSecretFormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => createClientSecret(actor, id.data));
  if (!outcome.ok) return outcome.state;
  refreshApplicationPages();
  const { secret, value } = outcome.result;
  return { ...succeeded(`Created client secret ${secret.hint}.`), created: { clientId: id.data, value, hint: secret.hint } };
}

const revokeSecretFields = z.object({ id: idField, secretId: idField });

export async function revokeClientSecretAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = revokeSecretFields.safeParse({ id: fieldOf(formData, "id"), secretId: fieldOf(formData, "secretId") });
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, secretId } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) => revokeClientSecret(actor, id, secretId));
  if (!outcome.ok) return outcome.state;
  refreshApplicationPages();
  return succeeded("Client secret revoked. Resource servers using it can no longer introspect.");
}

const archiveFields = z.object({
  id: idField,
  archived: switchField,
  // How many live tokens the person was told the archive stops; the data layer refuses another count.
  stopLiveTokens: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional(),
});

export async function setApplicationArchivedAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = archiveFields.safeParse({
    id: fieldOf(formData, "id"),
    archived: fieldOf(formData, "archived"),
    stopLiveTokens: fieldOf(formData, "stopLiveTokens"),
  });
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, archived, stopLiveTokens } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) => updateApplication(actor, id, { archived, stopLiveTokens }));
  if (!outcome.ok) return outcome.state;
  refreshApplicationPages();
  const { name } = outcome.result;
  return succeeded(
    archived
      ? `Archived ${name}: its tokens stopped working and no new tokens can be created for it.`
      : `Unarchived ${name}: its tokens that are not revoked or expired work again.`,
  );
}
