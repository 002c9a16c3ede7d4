"use server";

import { headers } from "next/headers";
import { succeeded, type FormState } from "@/lib/actions/form-state";
import { requestContextFrom } from "@/lib/http/request-context";
import { resetPasswordWithLink } from "@/lib/people/password-reset";
import { DomainError } from "@/lib/shared/errors";

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

/** Sets a new password with a mailed link's secret (posted in the body, never in a URL). No session needed: the secret is the proof. */
export async function resetPasswordWithLinkAction(_previous: FormState, formData: FormData): Promise<FormState> {
  try {
    await resetPasswordWithLink(
      { secret: text(formData, "secret"), password: text(formData, "password"), confirmation: text(formData, "confirmation") },
      requestContextFrom(await headers()),
    );
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
  return succeeded("Your new password is set, and every session signed in with the old one has ended.");
}
