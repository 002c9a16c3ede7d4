"use client";

import { startAuthentication } from "@simplewebauthn/browser";
import { useActionState, useEffect, useState, useTransition } from "react";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/actions/form-state";
import { passkeySignInOptionsAction, signInUserAction, type SignInState } from "@/lib/actions/session";

/** Sign-in: the email and password, then — for a person with a second factor — a code. */
export function LoginForm() {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInUserAction, initialFormState);
  // The code step is on from a password that was right until its ticket runs out.
  if (state.step === "second_factor") return <SecondFactorForm state={state} action={formAction} pending={pending} />;
  return (
    <form action={formAction} className="stack" noValidate aria-describedby={state.message ? "login-message" : undefined}>
      <LoginMessage state={state} />
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

function SecondFactorForm({ state, action, pending }: { state: SignInState; action: (formData: FormData) => void; pending: boolean }) {
  const [passkeyMessage, setPasskeyMessage] = useState<string | null>(null);
  const [, startTransition] = useTransition();

  // A refused code leaves the field focused for the next try.
  useEffect(() => {
    if (state.fieldErrors.code) document.getElementById("field-code")?.focus();
  }, [state]);

  async function signInWithPasskey() {
    setPasskeyMessage(null);
    const started = await passkeySignInOptionsAction();
    if (!started) {
      setPasskeyMessage("No passkey is registered for this account, or your sign-in took too long. Enter a code instead.");
      return;
    }
    let response;
    try {
      response = await startAuthentication({ optionsJSON: started.options });
    } catch {
      setPasskeyMessage("The passkey was not used. Try again, or enter a code.");
      return;
    }
    const data = new FormData();
    data.set("passkey", JSON.stringify(response));
    data.set("ceremony", started.ceremony);
    data.set("email", state.values?.email ?? "");
    startTransition(() => action(data));
  }

  return (
    <form action={action} className="stack" noValidate aria-labelledby="second-factor-heading">
      <h2 id="second-factor-heading">Two-factor authentication</h2>
      {state.values?.email ? <p className="muted">Signing in as {state.values.email}</p> : null}
      <input type="hidden" name="email" value={state.values?.email ?? ""} />
      <LoginMessage state={state} />
      {passkeyMessage ? (
        <p role="alert" className="alert alert-error">
          {passkeyMessage}
        </p>
      ) : null}
      <TextField
        name="code"
        label="Authentication code"
        autoComplete="one-time-code"
        autoFocus
        required
        hint="Open your authenticator app and enter the code it shows, or enter one of your recovery codes."
        errors={state.fieldErrors.code}
      />
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        {pending ? "Verifying…" : "Verify"}
      </button>
      <button type="button" className="button" disabled={pending} onClick={() => void signInWithPasskey()}>
        Use a passkey
      </button>
      {/* A fresh page: the form starts over at the password. */}
      <button type="button" className="link-button" onClick={() => window.location.reload()}>
        Sign in as someone else
      </button>
    </form>
  );
}

function LoginMessage({ state }: { state: SignInState }) {
  if (!state.message || state.fieldErrors.code) return null;
  return (
    <p id="login-message" role="alert" className="alert alert-error">
      {state.message}
    </p>
  );
}
