"use client";

import { useActionState } from "react";
import { initialFormState } from "@/lib/actions/form-state";
import { signOutUserAction } from "@/lib/actions/session";

/** Signs out and lands on /login (the action redirects); a form, so it also works before hydration. */
export function SignOutButton() {
  const [, formAction, pending] = useActionState(signOutUserAction, initialFormState);
  return (
    <form action={formAction}>
      <button type="submit" className="button button-ghost" disabled={pending} aria-busy={pending}>
        Sign out
      </button>
    </form>
  );
}
