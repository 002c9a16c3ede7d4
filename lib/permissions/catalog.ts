// Tessera's own permissions: the scopes of the built-in "Tessera API" application (SPEC §9), which
// Tessera itself enforces. A const tuple so that `Permission` is a union type and a typo in a
// permission id is a compile error rather than a silently ungranted scope. The scopes of every
// other application are data (lib/applications/), enforced by that application's resource servers.

export const PERMISSIONS = [
  "tokens:read",
  "tokens:write",
  "tokens:admin",
  "tokens:introspect",
  "reps:read",
  "audit:read",
  "applications:read",
  "applications:write",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ["admin", "rep"] as const;
export type Role = (typeof ROLES)[number];

// A rep can never hold these, whatever is stored on their tokens (SPEC §3).
export const ADMIN_ONLY_PERMISSIONS = [
  "tokens:admin",
  "tokens:introspect",
  "reps:read",
  "audit:read",
  "applications:read",
  "applications:write",
] as const satisfies readonly Permission[];

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  "tokens:read": "List and view the owner's own access tokens",
  "tokens:write": "Create, change, rotate and revoke the owner's own access tokens",
  "tokens:admin": "Manage every access token of the organization",
  "tokens:introspect": "Validate other tokens through OAuth introspection and exchange",
  "reps:read": "List the organization's service reps",
  "audit:read": "Read the organization's audit log",
  "applications:read": "List the organization's applications and their scopes",
  "applications:write": "Create and change applications, their scopes and presets",
};

export const PERMISSION_GROUPS: Record<Permission, string> = {
  "tokens:read": "tokens",
  "tokens:write": "tokens",
  "tokens:admin": "tokens",
  "tokens:introspect": "tokens",
  "reps:read": "administration",
  "audit:read": "administration",
  "applications:read": "administration",
  "applications:write": "administration",
};

const catalog: ReadonlySet<string> = new Set(PERMISSIONS);
const adminOnly: ReadonlySet<string> = new Set(ADMIN_ONLY_PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return catalog.has(value);
}

export const isAdminOnlyPermission = (permission: Permission) => adminOnly.has(permission);
