"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { FormState } from "@/lib/actions/form-state";
import { confirmPassword } from "@/lib/auth/password-confirmation";
import { requestContextFrom } from "@/lib/http/request-context";
import { getCurrentUser } from "@/lib/auth/session";

export async function confirmPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) redirect("/login");
  const password = formData.get("password");
  const result = await confirmPassword(user, typeof password === "string" ? password : "", requestContextFrom(await headers()));
  if (result === "confirmed") return { ok: true, message: null, fieldErrors: {} };
  const message = {
    rate_limited: "Too many failed attempts. Wait a minute, then try again.",
    busy: "The server is busy; try again in a moment.",
    wrong_password: "Incorrect password.",
  }[result];
  return { ok: false, message, fieldErrors: { password: [message] } };
}
