import type { CappedCount } from "@/lib/shared/keyset-cursor";
import type { Person, User } from "@/db/schema";
import type { AuditTarget } from "@/lib/audit/record";
import type { Role } from "@/lib/permissions/catalog";

/** A person to pick in a filter or as a token's owner. */
export type PersonOption = Pick<User, "id" | "username" | "displayName" | "role" | "active">;

/** What the console shows of a rep: never the password hash. */
export type RepView = {
  id: string;
  username: string;
  email: string;
  displayName: string;
  role: Role;
  active: boolean;
  /** Tokens that authenticate right now (not revoked, not expired, switched on), counted up to PAGE_LIMITS.countCap. */
  activeTokens: CappedCount;
  lastSignInAt: string | null;
  createdAt: string;
};

/** A membership with what the reps page shows of its person: the e-mail address and last sign-in. */
export type RepRow = User & Pick<Person, "email" | "lastSignInAt">;

export function toRepView(user: RepRow, activeTokens: RepView["activeTokens"]): RepView {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    active: user.active,
    activeTokens,
    lastSignInAt: user.lastSignInAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}

/** A rep as the target of an audit event. */
export const repTarget = (user: Pick<User, "id">): AuditTarget => ({ type: "user", id: user.id, userId: user.id });

/** The fields a rep's audit events record, old → new. */
export function repAuditSnapshot(user: Pick<User, "username" | "displayName" | "role" | "active"> & { email: string }) {
  return { username: user.username, email: user.email, displayName: user.displayName, role: user.role, active: user.active };
}
