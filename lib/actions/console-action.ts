import { headers } from "next/headers";
import type { FormState } from "@/lib/actions/form-state";
import { consoleActor, type Actor } from "@/lib/auth/actor";
import { requireUser } from "@/lib/auth/session";
import { hasRecentConfirmation } from "@/lib/auth/sudo";
import { requestContextFrom } from "@/lib/http/request-context";
import { DomainError } from "@/lib/shared/errors";

type ConsoleOutcome<T> = { ok: true; result: T } | { ok: false; state: FormState };

export const NEEDS_SUDO: FormState = {
  ok: false,
  message: "Confirm your password to continue.",
  fieldErrors: {},
  needsSudo: true,
};

/**
 * The shell of every console change. A server action is reachable by a direct POST, so this
 * re-reads who is calling (from the database, not the cookie), requires a recent password
 * confirmation, and turns the data layer's expected failures into form state.
 */
export async function runConsoleChange<T>(change: (actor: Actor) => Promise<T>): Promise<ConsoleOutcome<T>> {
  const user = await requireUser();
  if (!(await hasRecentConfirmation(user))) return { ok: false, state: NEEDS_SUDO };
  const actor = consoleActor(user, requestContextFrom(await headers()));
  try {
    return { ok: true, result: await change(actor) };
  } catch (error) {
    if (error instanceof DomainError) {
      return { ok: false, state: { ok: false, message: error.message, fieldErrors: error.fieldErrors } };
    }
    throw error;
  }
}

/** For reads in pages: the signed-in user as an actor. */
export async function currentActor(): Promise<Actor> {
  const user = await requireUser();
  return consoleActor(user, requestContextFrom(await headers()));
}
