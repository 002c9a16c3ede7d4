import { isPermission, PERMISSIONS, type Permission } from "@/lib/permissions/catalog";

export type ScopeResult = { ok: true; scope: Permission[] } | { ok: false; description: string };

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by spaces.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * The scope of an exchanged token: what was asked for, which may only narrow the subject
 * token's effective permissions (SPEC §6); everything it holds when nothing was asked for.
 * Always in catalog order, so equal scopes compare equal.
 */
export function narrowScope(requested: string | undefined, effective: readonly Permission[]): ScopeResult {
  if (requested === undefined) return { ok: true, scope: inCatalogOrder(effective) };
  const asked = requested.split(" ");
  if (asked.some((token) => !SCOPE_TOKEN.test(token))) {
    return { ok: false, description: "The scope is malformed: separate permissions with single spaces." };
  }
  const unknown = asked.filter((token) => !isPermission(token));
  if (unknown.length > 0) return { ok: false, description: `Unknown scope: ${[...new Set(unknown)].join(", ")}.` };
  const held = new Set<string>(effective);
  const widening = asked.filter((token) => !held.has(token));
  if (widening.length > 0) {
    return {
      ok: false,
      description: `The scope may only narrow the subject token's permissions; it does not hold ${[...new Set(widening)].join(", ")}.`,
    };
  }
  return { ok: true, scope: inCatalogOrder(asked.filter(isPermission)) };
}

/** What is still granted of a scope: its permissions the token holds now. */
export function stillGranted(scope: string, effective: readonly Permission[]): Permission[] {
  const granted = new Set(scope.split(" "));
  return inCatalogOrder(effective.filter((permission) => granted.has(permission)));
}

function inCatalogOrder(permissions: readonly Permission[]): Permission[] {
  const wanted = new Set(permissions);
  return PERMISSIONS.filter((permission) => wanted.has(permission));
}
