"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runConsoleChange } from "@/lib/actions/console-action";
import type { FormState } from "@/lib/actions/form-state";
import { createToken } from "@/lib/tokens/create";
import { regenerateToken } from "@/lib/tokens/regenerate";
import { deleteToken, revokeToken, revokeTokens } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { expirationFromForm, tokenFieldsFromForm, tokenFormValues } from "@/lib/validation/token-form";

/** A created or regenerated token's value, shown once by the dialog that asked for it. */
export type TokenFormState = FormState & {
  created?: { value: string; description: string; accountSid: string };
};

const idSchema = z.string().max(100);
const idsSchema = z.array(idSchema).max(500);
const reasonSchema = z.string().max(2000).optional();

function refreshTokenPages() {
  revalidatePath("/options");
  revalidatePath("/admin/tokens");
}

const done = (message: string): FormState => ({ ok: true, message, fieldErrors: {} });
const badRequest: FormState = { ok: false, message: "The request was malformed.", fieldErrors: {} };

export async function createTokenAction(_previous: TokenFormState, formData: FormData): Promise<TokenFormState> {
  const outcome = await runConsoleChange((actor) => createToken(actor, tokenFieldsFromForm(formData, new Date())));
  if (!outcome.ok) return { ...outcome.state, values: tokenFormValues(formData) };
  refreshTokenPages();
  const { token, value } = outcome.result;
  return {
    ...done(`Created “${token.description}”.`),
    created: { value, description: token.description, accountSid: token.accountSid },
  };
}

export async function updateTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = idSchema.safeParse(formData.get("id"));
  if (!id.success) return badRequest;
  const fields = tokenFieldsFromForm(formData, new Date());
  const outcome = await runConsoleChange((actor) =>
    updateToken(actor, id.data, {
      description: fields.description,
      permissions: fields.permissions,
      expiresAt: expirationFromForm(formData, new Date()),
    }),
  );
  if (!outcome.ok) return { ...outcome.state, values: tokenFormValues(formData) };
  refreshTokenPages();
  return done(`Saved “${outcome.result.description}”.`);
}

export async function setTokenActiveAction(id: string, active: boolean): Promise<FormState> {
  const parsed = z.tuple([idSchema, z.boolean()]).safeParse([id, active]);
  if (!parsed.success) return badRequest;
  const outcome = await runConsoleChange((actor) => setTokenActive(actor, parsed.data[0], parsed.data[1]));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  return done(`“${outcome.result.description}” is now ${active ? "active" : "inactive"}.`);
}

export async function regenerateTokenAction(id: string): Promise<TokenFormState> {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) return badRequest;
  const outcome = await runConsoleChange((actor) => regenerateToken(actor, parsed.data));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  const { token, value } = outcome.result;
  return {
    ...done(`Regenerated “${token.description}”. The previous value no longer works.`),
    created: { value, description: token.description, accountSid: token.accountSid },
  };
}

export async function revokeTokenAction(id: string, reason?: string): Promise<FormState> {
  const parsed = z.tuple([idSchema, reasonSchema]).safeParse([id, reason]);
  if (!parsed.success) return badRequest;
  const outcome = await runConsoleChange((actor) => revokeToken(actor, parsed.data[0], parsed.data[1]));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  return done("Token revoked. It can no longer be used.");
}

export async function revokeTokensAction(ids: string[], reason?: string): Promise<FormState> {
  const parsed = z.tuple([idsSchema, reasonSchema]).safeParse([ids, reason]);
  if (!parsed.success) return badRequest;
  const outcome = await runConsoleChange((actor) => revokeTokens(actor, parsed.data[0], parsed.data[1]));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  const { revoked, skipped } = outcome.result;
  const count = `${revoked.length} token${revoked.length === 1 ? "" : "s"}`;
  return done(skipped > 0 ? `Revoked ${count}; ${skipped} were already revoked or not found.` : `Revoked ${count}.`);
}

export async function deleteTokenAction(id: string): Promise<FormState> {
  const parsed = idSchema.safeParse(id);
  if (!parsed.success) return badRequest;
  const outcome = await runConsoleChange((actor) => deleteToken(actor, parsed.data));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  return done("Token deleted.");
}
