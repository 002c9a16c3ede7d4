import { assertAdmin, type Actor } from "@/lib/auth/actor";
import type { Permission } from "@/lib/permissions/catalog";
import { InsufficientScope } from "@/lib/shared/errors";

// The one place that answers "may this actor see or change webhook endpoints" (SPEC §12): the
// organization's admins in the console; through the API, a Tessera API token holding tokens:admin
// (admin-only, so its owner is an admin too). Endpoints receive every token event of the
// organization, which is what tokens:admin already reaches; no new permission was added, so
// existing admin automation keeps its reach and no rep can ever be granted this.

const NEEDED: Permission = "tokens:admin";

/** Reading and changing need the same: an admin, and through the API, tokens:admin. */
export function authorizeWebhooks(actor: Actor): void {
  assertAdmin(actor);
  if (actor.token && !actor.token.permissions.includes(NEEDED)) throw new InsufficientScope(NEEDED);
}
