"use client";

import { useActionState } from "react";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/actions/form-state";
import { signInUserAction } from "@/lib/actions/session";

export function LoginForm() {
  const [state, formAction, pending] = useActionState(signInUserAction, initialFormState);
  return (
    <form action={formAction} className="stack" noValidate aria-describedby={state.message ? "login-message" : undefined}>
      {state.message ? (
        <p id="login-message" role="alert" className="alert alert-error">
          {state.message}
        </p>
      ) : null}
      <TextField
        name="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        autoFocus
        defaultValue={state.values?.email}
        errors={state.fieldErrors.email}
      />
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        errors={state.fieldErrors.password}
      />
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
