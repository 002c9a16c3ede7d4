import type { RequestContext } from "@/lib/http/request-context";
import { forbidden } from "@/lib/shared/errors";
import type { Permission, Role } from "@/lib/permissions/catalog";

/**
 * Who is acting, passed first to every data-access function, which authorizes on its own
 * (lib/tokens/access.ts for tokens). A console session acts with its user's role; an API token
 * acts with its owner's role *and* no more than its own effective permissions.
 */
export type Actor = {
  userId: string;
  organizationId: string;
  role: Role;
  /** The token making an API call, with its effective permissions and restrictions; null in the console. */
  token: { id: string; permissions: readonly Permission[]; restrictions: ActorRestrictions } | null;
  context: RequestContext;
};

/** An acting token's own restrictions (SPEC §12): the tokens it makes may be no looser. */
export type ActorRestrictions = { allowedCidrs: readonly string[] | null; rateLimitPerMinute: number | null };

export function consoleActor(user: { id: string; organizationId: string; role: Role }, context: RequestContext): Actor {
  return { userId: user.id, organizationId: user.organizationId, role: user.role, token: null, context };
}

/**
 * The actor of an API call: the verified token, with what Tessera's own API lets it do (its
 * effective permissions if it is a Tessera API token, none if it is for another application).
 */
export function tokenActor(
  principal: {
    tokenId: string;
    userId: string;
    organizationId: string;
    role: Role;
    apiPermissions: readonly Permission[];
    restrictions: ActorRestrictions;
  },
  context: RequestContext,
): Actor {
  return {
    userId: principal.userId,
    organizationId: principal.organizationId,
    role: principal.role,
    token: { id: principal.tokenId, permissions: principal.apiPermissions, restrictions: principal.restrictions },
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
