"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { runConsoleChange } from "@/lib/actions/console-action";
import { fieldOf, idField } from "@/lib/actions/form-fields";
import { MALFORMED_REQUEST, succeeded, type FormState } from "@/lib/actions/form-state";
import { requirePerson } from "@/lib/auth/session";
import { requestContextFrom } from "@/lib/http/request-context";
import { acceptInvitation, declineInvitation, withdrawInvitation } from "@/lib/people/invitations";
import { DomainError } from "@/lib/shared/errors";

// Invitations (SPEC §14). Accepting and declining are the signed-in person's own, on /account:
// no organization field and no password prompt, like lib/actions/account.ts — lib/people/invitations.ts
// finds the invitation only among the session person's own. Withdrawing is an admin's console change.
//
// Accept and decline revalidate nothing: /account and every console page render per request, and
// revalidating would re-render /account at once, taking the answered row — and the outcome the
// person should read — away with it.

/** "Accept" on /account: the membership the invitation describes begins. */
export async function acceptInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const person = await requirePerson();
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  try {
    const joined = await acceptInvitation(person, id.data, requestContextFrom(await headers()));
    return succeeded(
      joined.opensNow
        ? `You joined ${joined.organizationName}. Open it from the Organization select in the console's header.`
        : `You joined ${joined.organizationName}. It opens once you choose a password of your own: use "Mail me a link" under Change password.`,
    );
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
}

/** "Decline" on /account: the invitation goes, and nothing is recorded in the person's account. */
export async function declineInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const person = await requirePerson();
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  try {
    const declined = await declineInvitation(person, id.data);
    return succeeded(`You declined the invitation to ${declined.organizationName}.`);
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, message: error.message, fieldErrors: error.fieldErrors };
    throw error;
  }
}

/** "Withdraw" under Pending invitations on the reps page: an admin takes back their organization's invitation. */
export async function withdrawInvitationAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => withdrawInvitation(actor, id.data));
  if (!outcome.ok) return outcome.state;
  revalidatePath("/[org]/admin/reps", "page");
  return succeeded(`Withdrew the invitation to ${outcome.result.email}.`);
}
