"use client";

import { useActionState } from "react";
import { FormOutcome } from "@/components/ui/form-parts";
import { initialFormState, type FormState } from "@/lib/actions/form-state";
import { acceptInvitationAction, declineInvitationAction } from "@/lib/actions/invitations";

// One state for both buttons, so the row shows the outcome of whichever was pressed last.
async function answer(previous: FormState, formData: FormData): Promise<FormState> {
  return formData.get("answer") === "accept" ? acceptInvitationAction(previous, formData) : declineInvitationAction(previous, formData);
}

/** "Accept" and "Decline" of one invitation on /account; once answered, only the outcome stays. */
export function InvitationResponse({ invitationId }: { invitationId: string }) {
  const [state, formAction, pending] = useActionState(answer, initialFormState);
  if (state.ok) return <FormOutcome state={state} />;
  return (
    <form action={formAction} className="stack-tight">
      <input type="hidden" name="id" value={invitationId} />
      <div className="row">
        <button type="submit" name="answer" value="accept" className="button button-primary" disabled={pending} aria-busy={pending}>
          Accept
        </button>
        <button type="submit" name="answer" value="decline" className="button" disabled={pending} aria-busy={pending}>
          Decline
        </button>
      </div>
      <FormOutcome state={state} />
    </form>
  );
}
