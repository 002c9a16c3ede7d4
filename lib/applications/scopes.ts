import { isPermission, type Permission, type Role } from "@/lib/permissions/catalog";

/**
 * What a token holds of its application's catalog, as read with it: its stored scopes that are
 * live in the application (defined and not deprecated), which of those are admin-only, and
 * whether the application is archived (which stops every token of it).
 */
export type GrantedScopes = {
  live: readonly string[];
  adminOnly: readonly string[];
  archived: boolean;
};

/**
 * SPEC §9: effective permissions = stored ∩ the application's live scopes ∩ what the owner's
 * current role allows. Computed at use time, so removing a scope, archiving the application or
 * demoting the owner narrows every token at once without rewriting stored rows.
 */
export function effectiveScopes(granted: GrantedScopes, ownerRole: Role): string[] {
  if (granted.archived) return [];
  if (ownerRole === "admin") return [...granted.live];
  const adminOnly = new Set(granted.adminOnly);
  return granted.live.filter((scope) => !adminOnly.has(scope));
}

/**
 * What Tessera itself lets a token do: its effective scopes when it is a token of the built-in
 * Tessera API, nothing otherwise. Another application may name a scope `tokens:admin`; that
 * grants nothing here, because Tessera only honours its own application's tokens.
 */
export function tesseraPermissions(scopes: readonly string[], builtIn: boolean): Permission[] {
  return builtIn ? scopes.filter(isPermission) : [];
}
