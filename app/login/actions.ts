"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { z } from "zod";
import { signIn, type SignInRefusal } from "@/lib/auth/next-auth";
import { signInSchema } from "@/lib/validation/user";
import type { FormState } from "@/lib/actions/form-state";

const REFUSAL_MESSAGES: Record<SignInRefusal, string> = {
  invalid_credentials: "Incorrect email or password.",
  inactive_user: "Your account is deactivated. Ask an administrator of your organization to reactivate it.",
  inactive_organization: "Your organization is inactive. Contact Tessera support.",
  rate_limited: "Too many failed attempts. Wait a minute, then try again.",
  busy: "Sign-in is busy; try again in a moment.",
};

function isRefusal(code: string): code is SignInRefusal {
  return code in REFUSAL_MESSAGES;
}

export async function signInWithPassword(_previous: FormState, formData: FormData): Promise<FormState> {
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  const values = { email: String(formData.get("email") ?? "") };
  if (!parsed.success) {
    return { ok: false, message: "Check the fields below.", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  }
  try {
    // Redirects (by throwing) on success.
    await signIn("credentials", { ...parsed.data, redirectTo: "/" });
  } catch (error) {
    if (error instanceof CredentialsSignin && isRefusal(error.code)) {
      return { ok: false, message: REFUSAL_MESSAGES[error.code], fieldErrors: {}, values };
    }
    if (error instanceof AuthError) {
      return { ok: false, message: "Sign-in failed. Try again.", fieldErrors: {}, values };
    }
    throw error;
  }
  return { ok: true, message: null, fieldErrors: {} };
}
