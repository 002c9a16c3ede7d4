"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runConsoleChange } from "@/lib/actions/console-action";
import { fieldOf, idField, idsField, reasonField, switchField } from "@/lib/actions/form-fields";
import { MALFORMED_REQUEST, succeeded, type FormState } from "@/lib/actions/form-state";
import { createToken } from "@/lib/tokens/create";
import { NO_GRACE, regenerateToken, type RotationGrace } from "@/lib/tokens/regenerate";
import { deleteToken, revokeToken, revokeTokens } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { expirationFromForm, tokenFieldsFromForm, tokenFormValues } from "@/lib/validation/token-form";

// The console's token changes. Each is a thin shell: runConsoleChange re-reads who is calling and
// requires a recent password confirmation; the lib/tokens functions authorize and do the change.

/** A created or regenerated token's value, shown once by the dialog that asked for it. */
export interface TokenFormState extends FormState {
  created?: { value: string; description: string; accountSid: string };
}

function refreshTokenPages() {
  revalidatePath("/[org]/options", "page");
  revalidatePath("/[org]/admin/tokens", "page");
}

export async function createTokenAction(_previous: TokenFormState, formData: FormData): Promise<TokenFormState> {
  const outcome = await runConsoleChange(formData, (actor) => createToken(actor, tokenFieldsFromForm(formData, new Date())));
  if (!outcome.ok) return { ...outcome.state, values: tokenFormValues(formData) };
  refreshTokenPages();
  const { token, value } = outcome.result;
  return {
    ...succeeded(`Created “${token.description}”.`),
    created: { value, description: token.description, accountSid: token.accountSid },
  };
}

export async function updateTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const fields = tokenFieldsFromForm(formData, new Date());
  const outcome = await runConsoleChange(formData, (actor) =>
    updateToken(actor, id.data, {
      description: fields.description,
      permissions: fields.permissions,
      expiresAt: expirationFromForm(formData, new Date()),
      // A form without the restriction fields leaves them as they are.
      ...(formData.has("allowedIps") ? { allowedCidrs: fields.allowedCidrs } : {}),
      ...(formData.has("rateLimit") ? { rateLimitPerMinute: fields.rateLimitPerMinute } : {}),
      ...(formData.has("validFrom") ? { validFrom: fields.validFrom } : {}),
    }),
  );
  if (!outcome.ok) return { ...outcome.state, values: tokenFormValues(formData) };
  refreshTokenPages();
  return succeeded(`Saved “${outcome.result.description}”.`);
}

const setActiveFields = z.object({ id: idField, active: switchField });

export async function setTokenActiveAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = setActiveFields.safeParse({ id: fieldOf(formData, "id"), active: fieldOf(formData, "active") });
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, active } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) => setTokenActive(actor, id, active));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  return succeeded(`“${outcome.result.description}” is now ${active ? "active" : "inactive"}.`);
}

// "Keep the old value working" (SPEC §11): none, for N seconds, or until N seconds after the new value's first use.
const graceField = z
  .string()
  .regex(/^(none|for:\d{1,9}|after_first_use:\d{1,9})$/)
  .optional()
  .transform((value): RotationGrace => {
    const [kind, seconds] = (value ?? "none").split(":");
    if (kind === "for") return { kind: "for", seconds: Number(seconds) };
    if (kind === "after_first_use") return { kind: "after_first_use", seconds: Number(seconds) };
    return NO_GRACE;
  });

export async function regenerateTokenAction(_previous: TokenFormState, formData: FormData): Promise<TokenFormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  const grace = graceField.safeParse(fieldOf(formData, "grace"));
  if (!id.success || !grace.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => regenerateToken(actor, id.data, grace.data));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  const { token, value, previous } = outcome.result;
  return {
    ...succeeded(
      previous.usableUntil
        ? `Regenerated “${token.description}”. The previous value keeps working until ${previous.usableUntil.toISOString().replace("T", " ").slice(0, 16)} UTC.`
        : `Regenerated “${token.description}”. The previous value no longer works.`,
    ),
    created: { value, description: token.description, accountSid: token.accountSid },
  };
}

const revokeFields = z.object({ id: idField, reason: reasonField });

export async function revokeTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = revokeFields.safeParse({ id: fieldOf(formData, "id"), reason: fieldOf(formData, "reason") });
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, reason } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) => revokeToken(actor, id, reason));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  return succeeded("Token revoked. It can no longer be used.");
}

const revokeManyFields = z.object({ ids: idsField, reason: reasonField });

/** Revokes the tokens named by every "id" field. */
export async function revokeTokensAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = revokeManyFields.safeParse({ ids: formData.getAll("id"), reason: fieldOf(formData, "reason") });
  if (!fields.success) return MALFORMED_REQUEST;
  const { ids, reason } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) => revokeTokens(actor, ids, reason));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  const { revoked, skipped } = outcome.result;
  const count = `${revoked.length} token${revoked.length === 1 ? "" : "s"}`;
  return succeeded(skipped > 0 ? `Revoked ${count}; ${skipped} were already revoked or not found.` : `Revoked ${count}.`);
}

export async function deleteTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => deleteToken(actor, id.data));
  if (!outcome.ok) return outcome.state;
  refreshTokenPages();
  return succeeded("Token deleted.");
}
