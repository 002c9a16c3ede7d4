"use client";

import { FormOutcome } from "@/components/ui/form-parts";
import { useActionState, useEffect, useRef } from "react";
import { NewPasswordFields } from "@/components/ui/new-password-fields";
import { CurrentPasswordField } from "./current-password-field";
import { changePasswordAction, mailOwnPasswordLinkAction } from "@/lib/actions/account";
import { initialFormState } from "@/lib/actions/form-state";

/** "Change password" on /account (SPEC §14): the current password, then the new one twice. */
export function ChangePasswordForm() {
  const [state, formAction, pending] = useActionState(changePasswordAction, initialFormState);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok && state.message) form.current?.reset();
  }, [state]);
  return (
    <form ref={form} action={formAction} className="stack" aria-labelledby="change-password-heading" noValidate>
      <FormOutcome state={state} />
      <CurrentPasswordField errors={state.fieldErrors.currentPassword} />
      <NewPasswordFields errors={state.fieldErrors} />
      <div className="row">
        <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : "Change password"}
        </button>
      </div>
    </form>
  );
}

/** "Mail me a link": for a password an administrator set, a link to choose one of the person's own. */
export function OwnPasswordLinkButton() {
  const [state, formAction, pending] = useActionState(mailOwnPasswordLinkAction, initialFormState);
  return (
    <form action={formAction} className="inline-form" aria-label="Choose a password of your own">
      <button type="submit" className="button" disabled={pending} aria-busy={pending}>
        Mail me a link
      </button>
      <FormOutcome state={state} />
    </form>
  );
}
