import { and, eq, type SQL } from "drizzle-orm";
import { personalAccessTokens as tokens } from "@/db/schema";
import { assertCurrentValue, type Actor } from "@/lib/auth/actor";
import { forbidden, InsufficientScope, invalid } from "@/lib/shared/errors";
import { effectiveScopes, type GrantedScopes } from "@/lib/applications/scopes";
import type { Permission, Role } from "@/lib/permissions/catalog";
import { cidrWithin } from "./restrictions";

// The one place that answers "may this actor do this to this token, with these permissions"
// (SPEC §8). Console actions, API routes, OAuth and scripts reach tokens only through the data
// layer, and every data-layer function asks here first; nothing else derives reach or compares
// permission sets.

/** Whose tokens an actor manages: its owner's own, or every token of its organization. */
export type Reach = "own" | "organization";

export type TokenAction = "read" | "create" | "change" | "activate" | "deactivate" | "regenerate" | "revoke" | "delete";

/**
 * An admin's session, or a token holding tokens:admin, reaches the whole organization; anyone
 * else only the tokens of the user it acts as. A token's permissions are already its effective
 * ones (its owner's current role applied), so a rep's token can never reach further than the rep.
 */
export function reachOf(actor: Actor): Reach {
  if (actor.token) return actor.token.permissions.includes("tokens:admin") ? "organization" : "own";
  return actor.role === "admin" ? "organization" : "own";
}

/** The tokens an actor may see and change; every token query starts from this condition. */
export function tokensInReach(actor: Actor): SQL {
  const inOrganization = eq(tokens.organizationId, actor.organizationId);
  if (reachOf(actor) === "organization") return inOrganization;
  return and(inOrganization, eq(tokens.userId, actor.userId)) as SQL;
}

/** One token by id, within the actor's reach — else "not found", whoever owns it. */
export function tokenInReach(actor: Actor, id: string): SQL {
  return and(tokensInReach(actor), eq(tokens.id, id)) as SQL;
}

// What an API token needs besides reach: tokens:read / tokens:write act on the owner's own
// tokens, tokens:admin on the organization's; whoever may change tokens may also see them.
// A console session needs nothing more than reach. API routes declare the same lists.
export const READ_TOKENS: readonly Permission[] = ["tokens:read", "tokens:write", "tokens:admin"];
export const WRITE_TOKENS: readonly Permission[] = ["tokens:write", "tokens:admin"];

// Actions that leave a token able to do something (again): the subset rule applies to them.
// Taking power away — deactivate, revoke, delete — stays allowed within reach.
const GRANTING: ReadonlySet<TokenAction> = new Set(["create", "change", "activate", "regenerate"]);
export const isGranting = (action: TokenAction) => GRANTING.has(action);

/** The first permission of `wanted` (in its order) that `held` lacks, or null if none. */
export function firstMissing(held: readonly string[], wanted: readonly string[]): string | null {
  const has = new Set(held);
  return wanted.find((permission) => !has.has(permission)) ?? null;
}

/**
 * Throws unless the actor may do `action` to a token it has already found within its reach.
 * `permissions` are what the token holds once the action is done (for create and change, the
 * requested set; otherwise the token's own), of the token's `application`. The subset rule: a
 * token never grants — to itself, a sibling or a new token — a permission it does not hold
 * itself. An acting token holds only Tessera API permissions (lib/auth/actor.ts), so it grants
 * only on Tessera API tokens: another application's scope, whatever its name, is not one it holds.
 */
export function authorizeTokenAction(
  actor: Actor,
  action: TokenAction,
  permissions: readonly string[] = [],
  application: { builtIn: boolean } = { builtIn: true },
): void {
  if (!actor.token) return;
  if (action !== "read") assertCurrentValue(actor);
  const needed = action === "read" ? READ_TOKENS : WRITE_TOKENS;
  if (!needed.some((permission) => actor.token?.permissions.includes(permission))) {
    throw new InsufficientScope(needed[0] ?? "tokens:write");
  }
  if (!GRANTING.has(action)) return;
  const missing = firstMissing(application.builtIn ? actor.token.permissions : [], permissions);
  if (missing) {
    throw new InsufficientScope(missing, `This token lacks the permission ${missing}, so it cannot give it to a token.`);
  }
}

/**
 * The subset rule for restrictions (SPEC §12): a token restricted to some addresses or to a rate
 * never makes, rotates, changes, switches on or loosens a token beyond them — a thief at an
 * allowed address must not walk away with a value that works from anywhere, or faster, nor hand
 * more power to (or revive) a token whose value works elsewhere. Taking power away stays allowed.
 */
export function authorizeRestrictions(
  actor: Actor,
  restrictions: { allowedCidrs: readonly string[] | null; rateLimitPerMinute: number | null },
): void {
  const own = actor.token?.restrictions;
  if (!own) return;
  if (
    own.allowedCidrs !== null &&
    (restrictions.allowedCidrs === null || !restrictions.allowedCidrs.every((cidr) => cidrWithin(cidr, own.allowedCidrs ?? [])))
  ) {
    throw forbidden(
      "This token may be used only from certain IP addresses, so the tokens it creates, rotates or changes must be limited to addresses within them.",
    );
  }
  if (
    own.rateLimitPerMinute !== null &&
    (restrictions.rateLimitPerMinute === null || restrictions.rateLimitPerMinute > own.rateLimitPerMinute)
  ) {
    throw forbidden(
      `This token is limited to ${own.rateLimitPerMinute} requests per minute, so the tokens it creates, rotates or changes must be limited to as many or fewer.`,
    );
  }
}

/** What an owner of this role may hold: a rep never holds admin-only scopes (422, not 403). */
export function assertOwnerMayHold(permissions: readonly string[], adminOnlyScopes: readonly string[], ownerRole: Role): void {
  if (ownerRole === "admin") return;
  const adminOnly = new Set(adminOnlyScopes);
  const refused = permissions.filter((permission) => adminOnly.has(permission));
  if (refused.length > 0) throw invalid({ permissions: [`A service rep cannot hold ${refused.join(", ")}.`] });
}

/** What a token holds now: stored ∩ its application's live scopes ∩ its owner's current role. */
export function heldPermissions(granted: GrantedScopes, ownerRole: Role): string[] {
  return effectiveScopes(granted, ownerRole);
}

/** Whether a new token may be created for this owner: anyone for itself, organization reach for others. */
export function mayCreateFor(actor: Actor, ownerId: string): boolean {
  return ownerId === actor.userId || reachOf(actor) === "organization";
}

/**
 * Only admins (a session, or a token holding tokens:admin) choose an account SID — it is the
 * OAuth client_id resource servers see; everyone else always gets a generated one.
 */
export function authorizeAccountSidChoice(actor: Actor): void {
  if (reachOf(actor) === "organization") return;
  const message =
    "Only system admins (in the console, or with a token holding tokens:admin) can choose an account SID; leave it blank to generate one.";
  throw new InsufficientScope("tokens:admin", message, { accountSid: [message] });
}

/** Whether the actor may choose account SIDs, for forms that offer the field. */
export const mayChooseAccountSid = (actor: Actor) => reachOf(actor) === "organization";

/** RFC 7662 introspection by a PAT answers only to a Tessera API token holding tokens:introspect. */
export function authorizeIntrospection(caller: { apiPermissions: readonly Permission[] }): void {
  if (!caller.apiPermissions.includes("tokens:introspect")) throw new InsufficientScope("tokens:introspect");
}
