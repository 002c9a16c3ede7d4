export type ScopeResult = { ok: true; scope: string[] } | { ok: false; description: string };

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by spaces.
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * The scope of an exchanged token: what was asked for, which may only narrow the subject
 * token's effective permissions (SPEC §6); everything it holds when nothing was asked for.
 * Always in the order of its application's catalog (the order `effective` comes in), so equal
 * scopes compare equal.
 */
export function narrowScope(requested: string | undefined, effective: readonly string[]): ScopeResult {
  if (requested === undefined) return { ok: true, scope: [...effective] };
  const asked = requested.split(" ");
  if (asked.some((token) => !SCOPE_TOKEN.test(token))) {
    return { ok: false, description: "The scope is malformed: separate permissions with single spaces." };
  }
  const held = new Set<string>(effective);
  const widening = asked.filter((token) => !held.has(token));
  if (widening.length > 0) {
    return {
      ok: false,
      description: `The scope may only narrow the subject token's permissions; it does not hold ${[...new Set(widening)].join(", ")}.`,
    };
  }
  return { ok: true, scope: stillGranted(requested, effective) };
}

/** What is still granted of a scope: its permissions the token holds now, in catalog order. */
export function stillGranted(scope: string, effective: readonly string[]): string[] {
  const granted = new Set(scope.split(" "));
  return effective.filter((permission) => granted.has(permission));
}
