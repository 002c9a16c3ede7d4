"use server";

import { headers } from "next/headers";
import { succeeded, type FormState } from "@/lib/actions/form-state";
import { confirmPassword } from "@/lib/auth/password-confirmation";
import { requireUser } from "@/lib/auth/session";
import { organizationOf } from "@/lib/actions/console-action";
import { requestContextFrom } from "@/lib/http/request-context";

// The password prompt ("sudo mode") that runConsoleChange asks for with NEEDS_SUDO. It cannot go
// through runConsoleChange itself, which would ask for sudo first; it re-reads who is calling instead.

const REFUSAL_MESSAGES = {
  rate_limited: "Too many failed attempts. Wait a minute, then try again.",
  busy: "The server is busy; try again in a moment.",
  wrong_password: "Incorrect password.",
} as const;

export async function confirmPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await requireUser(organizationOf(formData));
  const password = formData.get("password");
  const result = await confirmPassword(user, typeof password === "string" ? password : "", requestContextFrom(await headers()));
  if (result === "confirmed") return succeeded(null);
  const message = REFUSAL_MESSAGES[result];
  return { ok: false, message, fieldErrors: { password: [message] } };
}
