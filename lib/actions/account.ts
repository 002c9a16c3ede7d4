"use server";

import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import QRCode from "qrcode";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { succeeded, type FormState } from "@/lib/actions/form-state";
import { requirePerson } from "@/lib/auth/session";
import { endOtherSessions } from "@/lib/auth/session-store";
import { requestContextFrom } from "@/lib/http/request-context";
import { changeOwnPassword, mailOwnPasswordLink } from "@/lib/people/change-password";
import { addPasskey, beginPasskeyRegistration, removePasskey } from "@/lib/people/passkeys";
import { beginTotpSetup, disableTotp, enableTotp, regenerateRecoveryCodes } from "@/lib/people/two-factor";
import { DomainError } from "@/lib/shared/errors";

// The signed-in person's own account (SPEC §14, /account): no organization's, so no organization
// field and no password prompt — the current password is asked for by the change itself.

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};

/** "Change password": the current password, then the new one twice. */
export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const person = await requirePerson();
  let scopedTo: string | null;
  try {
    ({ scopedTo } = await changeOwnPassword(
      person,
      {
        currentPassword: text(formData, "currentPassword"),
        password: text(formData, "password"),
        confirmation: text(formData, "confirmation"),
      },
      requestContextFrom(await headers()),
    ));
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
  return succeeded(
    scopedTo
      ? "Your password is changed, and your other sessions have ended. Like the one before it, it opens only the organization whose administrator set that one."
      : "Your password is changed. It opens every organization you work in, and your other sessions have ended.",
  );
}

/** "Mail me a link": a one-time link to the person's own address, to choose a password of their own. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the shape every action has; the form carries nothing
export async function mailOwnPasswordLinkAction(_previous: FormState, _formData: FormData): Promise<FormState> {
  const person = await requirePerson();
  const sent = await mailOwnPasswordLink(person);
  return sent
    ? succeeded(`We mailed a link to ${person.email}. It works once, for an hour.`)
    : { ok: false, message: "A link went out in the last ten minutes: look for it in your mailbox.", fieldErrors: {} };
}

/** "Sign out" on one of the person's other sessions (its id in `session`), or "Sign out everywhere else" (`session` = "others"). */
export async function endSessionsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const person = await requirePerson();
  const target = text(formData, "session");
  const ended = await endOtherSessions(person, target, requestContextFrom(await headers()));
  revalidatePath("/account");
  if (target === "others") return succeeded(ended === 1 ? "1 other session is signed out." : `${ended} other sessions are signed out.`);
  return ended === 1
    ? succeeded("That session is signed out.")
    : { ok: false, message: "That session had already ended.", fieldErrors: {} };
}

/** What "Two-factor authentication" shows after an action: a setup to finish, or recovery codes to save (once). */
export type TwoFactorState = FormState & {
  setup?: { secret: string; pending: string; qrCode: string };
  recoveryCodes?: string[];
};

/**
 * The action's outcome as form state: the data layer's refusals become messages. A change that
 * answers with recovery codes does not refresh the page: that would replace the form showing them
 * (the page refreshes when the person says they saved them).
 */
async function twoFactorChange(change: () => Promise<TwoFactorState>, keep: Partial<TwoFactorState> = {}): Promise<TwoFactorState> {
  try {
    const state = await change();
    if (!state.recoveryCodes) revalidatePath("/account");
    return state;
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors, ...keep };
    throw error;
  }
}

/** "Set up authenticator app": a new secret as a QR code and as text; nothing is stored until "Turn on". */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the shape every action has; starting a setup reads nothing from the form
export async function beginTotpSetupAction(_previous: TwoFactorState, _formData: FormData): Promise<TwoFactorState> {
  const person = await requirePerson();
  const { secret, uri, pending } = beginTotpSetup(person);
  return {
    ok: false,
    message: null,
    fieldErrors: {},
    setup: { secret, pending, qrCode: await QRCode.toDataURL(uri, { margin: 1, width: 192 }) },
  };
}

/** "Turn on": a code from the app and the current password; answers with the recovery codes, once. */
export async function enableTotpAction(previous: TwoFactorState, formData: FormData): Promise<TwoFactorState> {
  const person = await requirePerson();
  const input = { pending: text(formData, "pending"), code: text(formData, "code"), currentPassword: text(formData, "currentPassword") };
  return twoFactorChange(
    async () => ({
      ...succeeded("Two-factor authentication is on. Save your recovery codes now: they are shown only once."),
      recoveryCodes: await enableTotp(person, input, requestContextFrom(await headers())),
    }),
    { setup: previous.setup },
  );
}

/** "Generate new recovery codes" (the old ones stop working) or "Turn off authenticator app", by the button pressed. */
export async function manageTwoFactorAction(_previous: TwoFactorState, formData: FormData): Promise<TwoFactorState> {
  const person = await requirePerson();
  const input = { currentPassword: text(formData, "currentPassword") };
  const context = requestContextFrom(await headers());
  if (text(formData, "intent") === "disable") {
    return twoFactorChange(async () => {
      await disableTotp(person, input, context);
      return succeeded("Your authenticator app is turned off.");
    });
  }
  return twoFactorChange(async () => ({
    ...succeeded("New recovery codes are ready; the old ones no longer work. Save these now: they are shown only once."),
    recoveryCodes: await regenerateRecoveryCodes(person, input, context),
  }));
}

/** "Add passkey", first half: the options the browser creates the passkey with. */
export async function beginPasskeyRegistrationAction(): Promise<{ ceremony: string; options: PublicKeyCredentialCreationOptionsJSON }> {
  const person = await requirePerson();
  return beginPasskeyRegistration(person);
}

/** "Add passkey", second half: the browser's answer, the passkey's name and the current password. */
export async function addPasskeyAction(_previous: TwoFactorState, formData: FormData): Promise<TwoFactorState> {
  const person = await requirePerson();
  let response: unknown = null;
  try {
    response = JSON.parse(text(formData, "response"));
  } catch {
    // Left null: the data layer answers "The browser sent no passkey."
  }
  const input = {
    ceremony: text(formData, "ceremony"),
    response: response as RegistrationResponseJSON,
    name: text(formData, "name"),
    currentPassword: text(formData, "currentPassword"),
  };
  return twoFactorChange(async () => {
    const codes = await addPasskey(person, input, requestContextFrom(await headers()));
    if (!codes) return succeeded("Passkey added.");
    return {
      ...succeeded("Passkey added: two-factor authentication is on. Save your recovery codes now: they are shown only once."),
      recoveryCodes: codes,
    };
  });
}

/** "Remove" on one of the person's passkeys, with the current password. */
export async function removePasskeyAction(_previous: TwoFactorState, formData: FormData): Promise<TwoFactorState> {
  const person = await requirePerson();
  return twoFactorChange(async () => {
    await removePasskey(
      person,
      text(formData, "passkey"),
      { currentPassword: text(formData, "currentPassword") },
      requestContextFrom(await headers()),
    );
    return succeeded("Passkey removed.");
  });
}
