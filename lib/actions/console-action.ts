import { headers } from "next/headers";
import type { FormState } from "@/lib/actions/form-state";
import { consoleActor, type Actor } from "@/lib/auth/actor";
import { getCurrentUser, requireAdmin, requireUser } from "@/lib/auth/session";
import { hasRecentConfirmation } from "@/lib/auth/sudo";
import { requestContextFrom } from "@/lib/http/request-context";
import { DomainError } from "@/lib/shared/errors";
import { ORGANIZATION_FIELD } from "./organization-field";

type ConsoleOutcome<T> = { ok: true; result: T } | { ok: false; state: FormState };

export const NEEDS_SUDO: FormState = {
  ok: false,
  message: "Confirm your password to continue.",
  fieldErrors: {},
  needsSudo: true,
};

/**
 * The shell of every console change. A server action is reachable by a direct POST, so this
 * re-reads who is calling (from the database, not the cookie) as a member of the organization the
 * form names, requires a recent password
 * confirmation, and turns the data layer's expected failures into form state.
 */
export async function runConsoleChange<T>(formData: FormData, change: (actor: Actor) => Promise<T>): Promise<ConsoleOutcome<T>> {
  const user = await requireUser(organizationOf(formData));
  if (!(await hasRecentConfirmation({ personId: user.personId, sessionId: user.sessionId }))) return { ok: false, state: NEEDS_SUDO };
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

/** For reads in pages: the signed-in person as an actor in the organization of the page's URL. */
export async function currentActor(organizationSlug: string): Promise<Actor> {
  const user = await requireUser(organizationSlug);
  return consoleActor(user, requestContextFrom(await headers()));
}

/** The signed-in person as an actor in this organization, or null when they are not an active member there. */
export async function memberActor(organizationSlug: string): Promise<Actor | null> {
  const user = await getCurrentUser(organizationSlug);
  return user ? consoleActor(user, requestContextFrom(await headers())) : null;
}

/** For reads in admin pages: as currentActor, and a rep gets 404. */
export async function currentAdminActor(organizationSlug: string): Promise<Actor> {
  const user = await requireAdmin(organizationSlug);
  return consoleActor(user, requestContextFrom(await headers()));
}

/**
 * The organization a console action acts in: the slug its form sends (components/sudo-provider.tsx
 * adds the page's own). It is only a claim — requireUser accepts it only if the signed-in person is
 * an active member there — so a forged one reaches no organization the person could not open anyway.
 */
export function organizationOf(formData: FormData): string {
  const slug = formData.get(ORGANIZATION_FIELD);
  return typeof slug === "string" ? slug : "";
}
