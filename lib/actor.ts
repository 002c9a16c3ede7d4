import type { RequestContext } from "./audit";
import { forbidden } from "./errors";
import type { Role } from "./permissions";

/**
 * Who is acting, passed first to every data-access function, which authorizes on its own.
 * `reach` says whose tokens the actor may manage: a rep (or a token without tokens:admin) only
 * its own; an admin (or a token with tokens:admin) every token of the organization.
 */
export type Actor = {
  userId: string;
  organizationId: string;
  role: Role;
  reach: "own" | "organization";
  /** The token making an API call; null in the console. */
  tokenId: string | null;
  context: RequestContext;
};

export function consoleActor(
  user: { id: string; organizationId: string; role: Role },
  context: RequestContext,
): Actor {
  return {
    userId: user.id,
    organizationId: user.organizationId,
    role: user.role,
    reach: user.role === "admin" ? "organization" : "own",
    tokenId: null,
    context,
  };
}

/**
 * Organization administration (reps, policy, audit log, outbox) is for admins only. An API token
 * acts with its owner's current role, so a demoted admin's tokens lose this at once.
 */
export function assertAdmin(actor: Actor): void {
  if (actor.role !== "admin") throw forbidden("Only system admins can do this.");
}
