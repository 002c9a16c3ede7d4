"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runConsoleChange } from "@/lib/actions/console-action";
import type { FormState } from "@/lib/actions/form-state";
import { createRep } from "@/lib/reps/create";
import { resetRepPassword } from "@/lib/reps/reset-password";
import { updateRep } from "@/lib/reps/update";
import { createRepFieldsFromForm, repFormValues, updateRepFieldsFromForm } from "@/lib/validation/rep";

/** A password to show once: a new rep's initial one, or a reset one. */
export type RepFormState = FormState & { issued?: { username: string; password: string; generated: boolean } };

const idSchema = z.string().max(100);
const badRequest: FormState = { ok: false, message: "The request was malformed.", fieldErrors: {} };
const done = (message: string): FormState => ({ ok: true, message, fieldErrors: {} });

function refreshRepPages() {
  revalidatePath("/admin/reps");
  revalidatePath("/admin/tokens");
}

export async function createRepAction(_previous: RepFormState, formData: FormData): Promise<RepFormState> {
  const fields = createRepFieldsFromForm(formData);
  const outcome = await runConsoleChange((actor) => createRep(actor, fields));
  if (!outcome.ok) return { ...outcome.state, values: repFormValues(formData) };
  refreshRepPages();
  const { rep, password, generated } = outcome.result;
  return { ...done(`Created ${rep.displayName} (${rep.username}).`), issued: { username: rep.username, password, generated } };
}

export async function updateRepAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = idSchema.safeParse(formData.get("id"));
  if (!id.success) return badRequest;
  const fields = updateRepFieldsFromForm(formData);
  const outcome = await runConsoleChange((actor) => updateRep(actor, id.data, fields));
  if (!outcome.ok) return { ...outcome.state, values: repFormValues(formData) };
  refreshRepPages();
  return done(`Saved ${outcome.result.displayName}.`);
}

export async function setRepActiveAction(id: string, active: boolean): Promise<FormState> {
  const parsed = z.tuple([idSchema, z.boolean()]).safeParse([id, active]);
  if (!parsed.success) return badRequest;
  const outcome = await runConsoleChange((actor) => updateRep(actor, parsed.data[0], { active: parsed.data[1] }));
  if (!outcome.ok) return outcome.state;
  refreshRepPages();
  const rep = outcome.result;
  return done(
    rep.active
      ? `${rep.displayName} is active again; their tokens work again.`
      : `${rep.displayName} is deactivated: signed out, and their tokens stop working.`,
  );
}

export async function resetRepPasswordAction(_previous: RepFormState, formData: FormData): Promise<RepFormState> {
  const id = idSchema.safeParse(formData.get("id"));
  if (!id.success) return badRequest;
  const typed = formData.get("password");
  const password = typeof typed === "string" && typed.trim() !== "" ? typed : undefined;
  const outcome = await runConsoleChange((actor) => resetRepPassword(actor, id.data, password));
  if (!outcome.ok) return outcome.state;
  refreshRepPages();
  const { username, generated } = outcome.result;
  return { ...done(`Set a new password for ${username}.`), issued: { username, password: outcome.result.password, generated } };
}
