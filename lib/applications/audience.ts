// Kept free of server code: zod schemas and the exchange both use it.

/**
 * The one spelling of an audience URI, so that "unique in the organization" and "not Tessera's
 * own" cannot be side-stepped by case, a default port or a trailing slash: scheme and host
 * lowercased, the default port dropped, trailing slashes of the path dropped (RFC 3986 §6.2.2
 * and §6.2.3 equivalences); for a URN, its "urn:<NID>:" prefix lowercased (RFC 8141 §3.1).
 * Anything else is returned trimmed.
 */
export function normalizeAudience(value: string): string {
  const trimmed = value.trim();
  const urn = /^urn:([a-z0-9][a-z0-9-]{0,31}):(.+)$/i.exec(trimmed);
  if (urn?.[1] && urn[2]) return `urn:${urn[1].toLowerCase()}:${urn[2]}`;
  if (!URL.canParse(trimmed)) return trimmed;
  const url = new URL(trimmed);
  if (url.protocol !== "https:" && url.protocol !== "http:") return trimmed;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}${url.search}`;
}
