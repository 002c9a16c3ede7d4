"use server";

import { revalidatePath } from "next/cache";
import { runConsoleChange } from "@/lib/actions/console-action";
import type { FormState } from "@/lib/actions/form-state";
import { updateTokenPolicy } from "@/lib/organizations/update-policy";
import { tokenPolicyFormValues, tokenPolicyFromForm } from "@/lib/validation/policy";

export async function updateTokenPolicyAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const outcome = await runConsoleChange((actor) => updateTokenPolicy(actor, tokenPolicyFromForm(formData)));
  if (!outcome.ok) return { ...outcome.state, values: tokenPolicyFormValues(formData) };
  revalidatePath("/admin/settings");
  revalidatePath("/admin/tokens");
  revalidatePath("/options");
  return { ok: true, message: outcome.result.changed ? "Policy saved." : "Nothing changed.", fieldErrors: {} };
}
