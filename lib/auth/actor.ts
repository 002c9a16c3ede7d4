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
  /**
   * The token making an API call, with its effective permissions and restrictions; null in the
   * console. `rotatedOut`: a previous value in its grace period, which may call APIs but never
   * create or change a token nor mint a client secret (SPEC §14).
   */
  token: { id: string; permissions: readonly Permission[]; restrictions: ActorRestrictions; rotatedOut: boolean } | null;
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
    rotatedOut: boolean;
  },
  context: RequestContext,
): Actor {
  return {
    userId: principal.userId,
    organizationId: principal.organizationId,
    role: principal.role,
    token: {
      id: principal.tokenId,
      permissions: principal.apiPermissions,
      restrictions: principal.restrictions,
      rotatedOut: principal.rotatedOut,
    },
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

/**
 * A previous value in its grace period is for the calls an integration makes while it moves to the
 * new value (SPEC §14): it never creates, rotates or changes a token, nor mints a client secret, so
 * a leaked old value cannot outlive its grace through a credential of its own.
 */
export function assertCurrentValue(actor: Actor): void {
  if (actor.token?.rotatedOut) {
    throw forbidden(
      "This is a previous value of its token, still working during its grace period: it can call APIs but not create or change tokens or client secrets. Use the token's current value.",
    );
  }
}
