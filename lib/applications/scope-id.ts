// Kept free of zod and Node APIs: client components import it to check ids as they are typed.

/** Lowercase words joined by colons, at least two of them: `orders:read`, `read:pets`. */
export const SCOPE_ID_PATTERN = /^[a-z][a-z0-9_-]*(:[a-z][a-z0-9_-]*)+$/;
export const SCOPE_ID_MAX = 100;

// Long ids are shortened in messages so a pasted paragraph does not flood the error list.
const SHOWN_MAX = 60;

function shown(id: string): string {
  return JSON.stringify(id.length > SHOWN_MAX ? `${id.slice(0, SHOWN_MAX - 1)}…` : id);
}

/** Why `id` cannot be a scope id, in words a person can act on; null when it can. */
export function scopeIdProblem(id: string): string | null {
  if (id.trim() === "") return "A scope id cannot be empty.";
  if (id.length > SCOPE_ID_MAX) return `${shown(id)} is too long: a scope id has at most ${SCOPE_ID_MAX} characters.`;
  if (!SCOPE_ID_PATTERN.test(id)) {
    return `${shown(id)} is not a scope id: use lowercase words separated by colons, like orders:read.`;
  }
  return null;
}
