import type { Actor } from "@/lib/auth/actor";
import { assertAdmin } from "@/lib/auth/actor";
import { conflict, InsufficientScope } from "@/lib/shared/errors";
import type { Permission } from "@/lib/permissions/catalog";

// The one place that answers "may this actor read or change applications" (SPEC §9): org admins
// in the console; through the API, a Tessera API token holding applications:read|write (both
// admin-only, so its owner is an admin too).

export type ApplicationAction = "read" | "write";

const NEEDED: Record<ApplicationAction, readonly Permission[]> = {
  read: ["applications:read", "applications:write"],
  write: ["applications:write"],
};

export function authorizeApplications(actor: Actor, action: ApplicationAction): void {
  assertAdmin(actor);
  if (!actor.token) return;
  const needed = NEEDED[action];
  if (!needed.some((permission) => actor.token?.permissions.includes(permission))) {
    throw new InsufficientScope(needed[needed.length - 1] ?? "applications:write");
  }
}

/** The built-in Tessera API's catalog is Tessera's own code; nobody edits, archives or credentials it. */
export function assertNotBuiltIn(application: { builtIn: boolean; name: string }): void {
  if (application.builtIn) {
    throw conflict(`${application.name} is built in: its scopes are Tessera's own permissions, and it has no client secrets.`);
  }
}
