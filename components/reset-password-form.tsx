"use client";

import Link from "next/link";
import { useActionState, useEffect, useRef } from "react";
import { NewPasswordFields } from "@/components/ui/new-password-fields";
import { initialFormState } from "@/lib/actions/form-state";
import { resetPasswordWithLinkAction } from "@/lib/actions/password-reset";

// The link's secret is in the URL's fragment, which the browser never sends: read here, posted in the form body.
export function ResetPasswordForm() {
  const [state, formAction, pending] = useActionState(resetPasswordWithLinkAction, initialFormState);
  const secret = useRef("");
  useEffect(() => {
    secret.current ||= window.location.hash.slice(1);
    // Out of the address bar and the history once read.
    window.history.replaceState(null, "", window.location.pathname);
  }, []);
  const submit = (formData: FormData) => {
    formData.set("secret", secret.current);
    formAction(formData);
  };

  if (state.ok) {
    return (
      <div className="stack">
        <p role="status" className="alert alert-success">
          {state.message}
        </p>
        <Link href="/login" className="button button-primary">
          Sign in
        </Link>
      </div>
    );
  }
  return (
    <form action={submit} className="stack" noValidate aria-describedby={state.message ? "reset-message" : undefined}>
      {state.message ? (
        <p id="reset-message" role="alert" className="alert alert-error">
          {state.message}
        </p>
      ) : null}
      <NewPasswordFields errors={state.fieldErrors} autoFocus />
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
