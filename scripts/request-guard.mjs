// What scripts/server.mjs settles before Next.js sees a request. Input Next.js cannot decode and
// answers with a 500 is the client's error (400 or 405 here), and forwarding headers count only
// as far as TRUSTED_PROXY_HOPS trusts the proxies in front: Auth.js builds its URLs from
// X-Forwarded-Proto and X-Forwarded-Host, and a client's own "http, https" made every page fail.

// TRACE would echo the request; Next.js throws on it (and on CONNECT) rather than answering.
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
const PROTOCOLS = new Set(["http", "https"]);
const FORWARDED = ["x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "forwarded"];

/** True when the request target's path has a percent-escape that does not decode as UTF-8. */
export function hasMalformedPath(target) {
  const path = (target ?? "/").split("?")[0];
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** A Host header (or X-Forwarded-Host entry) that makes a valid URL authority, and nothing more. */
export function isValidHost(host) {
  if (typeof host !== "string" || host === "" || /[/?#@\\\s]/.test(host)) return false;
  try {
    return new URL(`http://${host}`).host !== "";
  } catch {
    return false;
  }
}

/** Why the request is refused before Next.js sees it, as [status, reason], or null. */
export function refusal(method, target, headers) {
  if (!METHODS.has(method)) return [405, "Method Not Allowed"];
  if (hasMalformedPath(target)) return [400, "Bad Request: malformed percent-escape in the path."];
  if (!isValidHost(headers.host)) return [400, "Bad Request: invalid Host header."];
  return null;
}

/**
 * Keeps of the forwarding headers only what trusted proxies wrote: with no trusted hop, none;
 * with N, the entry N hops from the right of X-Forwarded-Proto and X-Forwarded-Host (the one
 * the outermost trusted proxy appended), when valid. Also drops a Next-Router-State-Tree header
 * that is not the URL-encoded JSON Next.js sends (Next.js answered it with a 500; without it,
 * the page renders in full). Mutates and returns `headers` (a Node.js IncomingHttpHeaders).
 */
export function normalizeHeaders(headers, trustedHops) {
  const trusted = (name, valid) => {
    const entries = String(headers[name] ?? "")
      .split(",")
      .map((entry) => entry.trim());
    const entry = headers[name] === undefined ? undefined : entries[entries.length - trustedHops];
    return entry !== undefined && valid(entry) ? entry : undefined;
  };
  const proto = trustedHops > 0 ? trusted("x-forwarded-proto", (entry) => PROTOCOLS.has(entry.toLowerCase())) : undefined;
  const host = trustedHops > 0 ? trusted("x-forwarded-host", isValidHost) : undefined;
  for (const name of FORWARDED) delete headers[name];
  if (proto !== undefined) headers["x-forwarded-proto"] = proto.toLowerCase();
  if (host !== undefined) headers["x-forwarded-host"] = host;

  const state = headers["next-router-state-tree"];
  if (state !== undefined && !isEncodedJsonArray(state)) delete headers["next-router-state-tree"];
  return headers;
}

function isEncodedJsonArray(value) {
  try {
    return Array.isArray(JSON.parse(decodeURIComponent(String(value))));
  } catch {
    return false;
  }
}

/** TRUSTED_PROXY_HOPS as lib/env.ts reads it (0–10, default 0); lib/env.ts reports a bad value. */
export function trustedProxyHops(value) {
  const hops = Number(value ?? 0);
  return Number.isInteger(hops) && hops >= 0 && hops <= 10 ? hops : 0;
}
