"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { succeeded, type FormState } from "@/lib/actions/form-state";
import { requirePerson } from "@/lib/auth/session";
import { endOtherSessions } from "@/lib/auth/session-store";
import { requestContextFrom } from "@/lib/http/request-context";
import { changeOwnPassword } from "@/lib/people/change-password";
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
  try {
    await changeOwnPassword(
      person,
      {
        currentPassword: text(formData, "currentPassword"),
        password: text(formData, "password"),
        confirmation: text(formData, "confirmation"),
      },
      requestContextFrom(await headers()),
    );
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
  return succeeded("Your password is changed. It opens every organization you work in, and your other sessions have ended.");
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
