"use server";

import { revalidatePath } from "next/cache";
import { runConsoleChange } from "@/lib/actions/console-action";
import { succeeded, type FormState } from "@/lib/actions/form-state";
import { updateTwoFactorPolicy } from "@/lib/organizations/two-factor-policy";
import { updateTokenPolicy } from "@/lib/organizations/update-policy";
import { tokenPolicyFormValues, tokenPolicyFromForm } from "@/lib/validation/policy";

// The organization's settings: a thin shell over lib/organizations, which checks that the actor
// is an admin; runConsoleChange re-reads who is calling and requires sudo.

export async function updateTokenPolicyAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const outcome = await runConsoleChange(formData, (actor) => updateTokenPolicy(actor, tokenPolicyFromForm(formData)));
  if (!outcome.ok) return { ...outcome.state, values: tokenPolicyFormValues(formData) };
  revalidatePath("/[org]/admin/settings", "page");
  revalidatePath("/[org]/admin/tokens", "page");
  revalidatePath("/[org]/options", "page");
  return succeeded(outcome.result.changed ? "Policy saved." : "Nothing changed.");
}

/** "Require two-factor authentication": nobody, admins or everyone. */
export async function updateTwoFactorPolicyAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const outcome = await runConsoleChange(formData, (actor) => updateTwoFactorPolicy(actor, formData.get("twoFactorPolicy")));
  if (!outcome.ok) return outcome.state;
  revalidatePath("/[org]/admin/settings", "page");
  return succeeded(outcome.result.changed ? "Two-factor policy saved." : "Nothing changed.");
}
