"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runConsoleChange } from "@/lib/actions/console-action";
import { fieldOf, idField, switchField } from "@/lib/actions/form-fields";
import { MALFORMED_REQUEST, succeeded, type FormState } from "@/lib/actions/form-state";
import { createRep } from "@/lib/reps/create";
import { resetRepPassword } from "@/lib/reps/reset-password";
import { updateRep } from "@/lib/reps/update";
import { createRepFieldsFromForm, repFormValues, updateRepFieldsFromForm } from "@/lib/validation/rep";

// The console's rep changes: thin shells over lib/reps, which checks that the actor is an admin
// of the rep's organization; runConsoleChange re-reads who is calling and requires sudo.

/** A password to show once: a new rep's initial one, or a reset one. */
export interface RepFormState extends FormState {
  issued?: { username: string; password: string; generated: boolean };
}

function refreshRepPages() {
  revalidatePath("/[org]/admin/reps", "page");
  revalidatePath("/[org]/admin/tokens", "page");
}

export async function createRepAction(_previous: RepFormState, formData: FormData): Promise<RepFormState> {
  const fields = createRepFieldsFromForm(formData);
  const outcome = await runConsoleChange(formData, (actor) => createRep(actor, fields));
  if (!outcome.ok) return { ...outcome.state, values: repFormValues(formData) };
  refreshRepPages();
  const created = outcome.result;
  if (created.kind === "invited") {
    // A person Tessera knew: nothing of theirs changes until they accept on /account (SPEC §14).
    return succeeded(`Invitation sent to ${created.invitation.email}; they join when they accept.`);
  }
  const { rep, password, generated } = created;
  return { ...succeeded(`Created ${rep.displayName} (${rep.username}).`), issued: { username: rep.username, password, generated } };
}

export async function updateRepAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const fields = updateRepFieldsFromForm(formData);
  const outcome = await runConsoleChange(formData, (actor) => updateRep(actor, id.data, fields));
  if (!outcome.ok) return { ...outcome.state, values: repFormValues(formData) };
  refreshRepPages();
  return succeeded(`Saved ${outcome.result.displayName}.`);
}

const setActiveFields = z.object({ id: idField, active: switchField });

export async function setRepActiveAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = setActiveFields.safeParse({ id: fieldOf(formData, "id"), active: fieldOf(formData, "active") });
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, active } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) => updateRep(actor, id, { active }));
  if (!outcome.ok) return outcome.state;
  refreshRepPages();
  const rep = outcome.result;
  return succeeded(
    rep.active
      ? `${rep.displayName} is active again; their tokens work again.`
      : `${rep.displayName} is deactivated: they can no longer work in your organization, and their tokens stop working.`,
  );
}

export async function resetRepPasswordAction(_previous: RepFormState, formData: FormData): Promise<RepFormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const typed = formData.get("password");
  const password = typeof typed === "string" && typed.trim() !== "" ? typed : undefined;
  const outcome = await runConsoleChange(formData, (actor) => resetRepPassword(actor, id.data, password));
  if (!outcome.ok) return outcome.state;
  refreshRepPages();
  const reset = outcome.result;
  if (reset.kind === "mailed") {
    return succeeded(
      `${reset.username} also belongs to other organizations, so they choose their own password: we mailed them a link to set a new one.`,
    );
  }
  return {
    ...succeeded(`Set a new password for ${reset.username}.`),
    issued: { username: reset.username, password: reset.password, generated: reset.generated },
  };
}
