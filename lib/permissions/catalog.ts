// The one permission catalog. A const tuple so that `Permission` is a union type and a typo
// in a permission id is a compile error rather than a silently ungranted scope.

export const DOMAIN_PERMISSIONS = [
  "employees:read",
  "employees:write",
  "customers:read",
  "customers:write",
  "orders:read",
  "orders:write",
  "assignments:read",
  "assignments:write",
  "assessments:read",
  "assessments:write",
  "documents:read",
  "documents:write",
  "messages:send",
] as const;

export const CONSOLE_PERMISSIONS = ["tokens:read", "tokens:write", "tokens:admin", "reps:read", "audit:read", "tokens:introspect"] as const;

export const PERMISSIONS = [...DOMAIN_PERMISSIONS, ...CONSOLE_PERMISSIONS] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ["admin", "rep"] as const;
export type Role = (typeof ROLES)[number];

// A rep can never hold these, whatever is stored on their tokens (SPEC §3).
export const ADMIN_ONLY_PERMISSIONS = [
  "tokens:admin",
  "reps:read",
  "audit:read",
  "tokens:introspect",
] as const satisfies readonly Permission[];

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  "employees:read": "View employee records",
  "employees:write": "Create and update employee records",
  "customers:read": "View customer records",
  "customers:write": "Create and update customer records",
  "orders:read": "View orders",
  "orders:write": "Create and update orders",
  "assignments:read": "View assignments",
  "assignments:write": "Create and update assignments",
  "assessments:read": "View assessments and their results",
  "assessments:write": "Create assessments and submit results",
  "documents:read": "View and download documents",
  "documents:write": "Upload and update documents",
  "messages:send": "Send messages (SMS, email) to employees and customers",
  "tokens:read": "List and view the owner's own access tokens",
  "tokens:write": "Create, change, rotate and revoke the owner's own access tokens",
  "tokens:admin": "Manage every access token of the organization",
  "reps:read": "List the organization's service reps",
  "audit:read": "Read the organization's audit log",
  "tokens:introspect": "Validate other tokens through OAuth introspection and exchange",
};

export type PermissionGroup = {
  readonly id: string;
  readonly label: string;
  readonly permissions: readonly Permission[];
};

export const PERMISSION_GROUPS: readonly PermissionGroup[] = [
  { id: "employees", label: "Employees", permissions: ["employees:read", "employees:write"] },
  { id: "customers", label: "Customers", permissions: ["customers:read", "customers:write"] },
  { id: "orders", label: "Orders", permissions: ["orders:read", "orders:write"] },
  { id: "assignments", label: "Assignments", permissions: ["assignments:read", "assignments:write"] },
  { id: "assessments", label: "Assessments", permissions: ["assessments:read", "assessments:write"] },
  { id: "documents", label: "Documents", permissions: ["documents:read", "documents:write"] },
  { id: "messages", label: "Messages", permissions: ["messages:send"] },
  {
    id: "tokens",
    label: "Tokens",
    permissions: ["tokens:read", "tokens:write", "tokens:admin", "tokens:introspect"],
  },
  { id: "administration", label: "Administration", permissions: ["reps:read", "audit:read"] },
];

export const PRESET_IDS = ["assessments", "messaging", "read-only", "token-automation", "custom"] as const;
export type PresetId = (typeof PRESET_IDS)[number];

export type PermissionPreset = {
  readonly id: PresetId;
  readonly label: string;
  readonly permissions: readonly Permission[];
};

export const PERMISSION_PRESETS: readonly PermissionPreset[] = [
  {
    id: "assessments",
    label: "Assessments integration",
    permissions: ["employees:read", "assessments:read", "assessments:write"],
  },
  {
    id: "messaging",
    label: "Messaging",
    permissions: ["employees:read", "customers:read", "messages:send"],
  },
  {
    id: "read-only",
    label: "Read-only",
    permissions: DOMAIN_PERMISSIONS.filter((permission) => permission.endsWith(":read")),
  },
  { id: "token-automation", label: "Token automation", permissions: ["tokens:read", "tokens:write"] },
  { id: "custom", label: "Custom", permissions: [] },
];

const catalog: ReadonlySet<string> = new Set(PERMISSIONS);
const adminOnly: ReadonlySet<Permission> = new Set(ADMIN_ONLY_PERMISSIONS);
const repPermissions = PERMISSIONS.filter((permission) => !adminOnly.has(permission));

export function isPermission(value: string): value is Permission {
  return catalog.has(value);
}

export function allowedPermissions(role: Role): readonly Permission[] {
  return role === "admin" ? PERMISSIONS : repPermissions;
}

// Computed at use time from the owner's *current* role, so demoting an admin immediately
// narrows every token they already hold without rewriting stored rows.
export function effectivePermissions(stored: readonly string[], ownerRole: Role): Permission[] {
  const wanted = new Set(stored);
  return allowedPermissions(ownerRole).filter((permission) => wanted.has(permission));
}

export function disallowedPermissions(requested: readonly Permission[], role: Role): Permission[] {
  const allowed: ReadonlySet<Permission> = new Set(allowedPermissions(role));
  const wanted = new Set(requested);
  return PERMISSIONS.filter((permission) => wanted.has(permission) && !allowed.has(permission));
}

// Lets the create/edit dialog show which preset a hand-edited selection still equals.
export function presetMatching(permissions: readonly string[]): PresetId {
  const selected = new Set(permissions);
  const match = PERMISSION_PRESETS.find(
    (preset) => preset.permissions.length === selected.size && preset.permissions.every((permission) => selected.has(permission)),
  );
  return match?.id ?? "custom";
}
