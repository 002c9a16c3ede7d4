"use client";

import { useActionState } from "react";
import { FormOutcome } from "@/components/ui/form-parts";
import { endSessionsAction } from "@/lib/actions/account";
import { initialFormState } from "@/lib/actions/form-state";

/** One "Sign out" (a session's id) or "Sign out everywhere else" ("others") button of "Sessions". */
export function SessionActionButton({ session, label, accessibleLabel }: { session: string; label: string; accessibleLabel?: string }) {
  const [state, formAction, pending] = useActionState(endSessionsAction, initialFormState);
  return (
    <form action={formAction} className="inline-form">
      <input type="hidden" name="session" value={session} />
      <button type="submit" className="button" disabled={pending} aria-busy={pending} aria-label={accessibleLabel}>
        {pending ? "Signing out…" : label}
      </button>
      <FormOutcome state={state} />
    </form>
  );
}
