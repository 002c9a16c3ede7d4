"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { succeeded, type FormState } from "@/lib/actions/form-state";
import { signIn, signOut, type SignInRefusal } from "@/lib/auth/next-auth";
import { getCurrentPerson } from "@/lib/auth/session";
import { passkeySignInOptions } from "@/lib/auth/passkeys";
import { endSession } from "@/lib/auth/session-store";
import { ticketPerson } from "@/lib/auth/sign-in";
import { SIGN_IN_TICKET_COOKIE } from "@/lib/auth/sign-in-ticket";
import { clearSudo } from "@/lib/auth/sudo";
import { requestContextFrom } from "@/lib/http/request-context";
import { signInSchema } from "@/lib/validation/user";

// Signing in and out: the two actions with no signed-in actor to run a console change as.

const REFUSAL_MESSAGES: Record<SignInRefusal, string> = {
  invalid_credentials: "Incorrect email or password.",
  inactive_user: "Your account is deactivated. Ask an administrator of your organization to reactivate it.",
  inactive_organization: "Your organization is inactive. Contact Tessera support.",
  rate_limited: "Too many failed attempts. Wait a minute, then try again.",
  busy: "Sign-in is busy; try again in a moment.",
  second_factor_required: "Enter the code from your authenticator app, or one of your recovery codes.",
  invalid_code: "That code is not valid. Enter the current code from your authenticator app, or an unused recovery code.",
  ticket_expired: "Your sign-in took too long. Enter your email and password again.",
};

/** The login form's state: which step it is on, the password or the second factor. */
export type SignInState = FormState & { step?: "password" | "second_factor" };

function isRefusal(code: string): code is SignInRefusal {
  return code in REFUSAL_MESSAGES;
}

/**
 * Checks the email and password; on success Auth.js sets the session cookie and redirects to "/".
 * A person with a second factor goes on to the code (signInSecondFactorAction).
 */
export async function signInUserAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  if (formData.has("code") || formData.has("passkey")) return signInSecondFactor(formData);
  const parsed = signInSchema.safeParse({ email: formData.get("email"), password: formData.get("password") });
  const values = { email: String(formData.get("email") ?? "") };
  if (!parsed.success) {
    return { ok: false, message: "Check the fields below.", fieldErrors: z.flattenError(parsed.error).fieldErrors, values };
  }
  try {
    // Redirects (by throwing) on success.
    await signIn("credentials", { ...parsed.data, redirectTo: "/" });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "second_factor_required") {
      return { ok: false, message: null, fieldErrors: {}, values, step: "second_factor" };
    }
    if (error instanceof CredentialsSignin && isRefusal(error.code)) {
      return { ok: false, message: REFUSAL_MESSAGES[error.code], fieldErrors: {}, values };
    }
    if (error instanceof AuthError) {
      return { ok: false, message: "Sign-in failed. Try again.", fieldErrors: {}, values };
    }
    throw error;
  }
  return succeeded(null);
}

/** The second step: a code from the authenticator app or a recovery code, with the ticket cookie the password step left. */
async function signInSecondFactor(formData: FormData): Promise<SignInState> {
  const code = String(formData.get("code") ?? "").trim();
  const passkey = { passkey: String(formData.get("passkey") ?? ""), ceremony: String(formData.get("ceremony") ?? "") };
  // The e-mail is only shown back ("Signing in as …"): the ticket cookie says whose sign-in this is.
  const onThisStep = { step: "second_factor" as const, values: { email: String(formData.get("email") ?? "").slice(0, 320) } };
  if (!code && !passkey.passkey) return { ok: false, message: null, fieldErrors: { code: ["Enter a code."] }, ...onThisStep };
  try {
    // Redirects (by throwing) on success.
    await signIn("credentials", { ...(code ? { code } : passkey), redirectTo: "/" });
  } catch (error) {
    if (error instanceof CredentialsSignin && error.code === "ticket_expired") {
      return { ok: false, message: REFUSAL_MESSAGES.ticket_expired, fieldErrors: {}, step: "password" };
    }
    if (error instanceof CredentialsSignin && isRefusal(error.code)) {
      const message = REFUSAL_MESSAGES[error.code];
      return { ok: false, message, fieldErrors: error.code === "invalid_code" ? { code: [message] } : {}, ...onThisStep };
    }
    if (error instanceof AuthError) return { ok: false, message: "Sign-in failed. Try again.", fieldErrors: {}, ...onThisStep };
    throw error;
  }
  return succeeded(null);
}

/**
 * "Use a passkey" at the second step: the browser's request options for the passkeys of the person
 * whose password this browser just proved (the ticket cookie); null without a valid ticket or passkey.
 */
export async function passkeySignInOptionsAction(): Promise<{ ceremony: string; options: PublicKeyCredentialRequestOptionsJSON } | null> {
  const person = await ticketPerson((await cookies()).get(SIGN_IN_TICKET_COOKIE)?.value);
  return person ? passkeySignInOptions(person.id) : null;
}

/**
 * Ends the session on the server first, so a failure shows instead of leaving a live session
 * behind a cleared cookie (Auth.js only logs errors of its signOut event), then clears the cookies
 * and redirects to /login. Whoever is not signed in is simply sent there.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the shape every action has; signing out needs neither
export async function signOutUserAction(_previous: FormState, _formData: FormData): Promise<FormState> {
  const person = await getCurrentPerson();
  if (person) await endSession({ personId: person.personId, sessionId: person.sessionId }, requestContextFrom(await headers()));
  await clearSudo();
  // Redirects (by throwing).
  await signOut({ redirectTo: "/login" });
  return succeeded(null);
}
