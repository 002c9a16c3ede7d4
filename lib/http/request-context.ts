import { isIP } from "node:net";
import proxyaddr from "proxy-addr";
import { getEnv } from "@/lib/env";
import { processSingleton } from "@/lib/shared/process-singleton";

/** Where a request came from; recorded with every audit event. */
export type RequestContext = { ip: string | null; userAgent: string | null };

/**
 * The header through which Tessera's server (scripts/server.mjs) hands the TCP peer's address
 * to the app. The server always overwrites it, so a client cannot choose its value.
 */
export const PEER_ADDRESS_HEADER = "x-tessera-peer-address";

/**
 * Set by scripts/server.mjs in the process it serves from. Under a bare `next start` nobody
 * overwrites PEER_ADDRESS_HEADER, so a client could forge it: then the address is unknown.
 */
const servedByTessera = processSingleton<boolean>("peerAddressHeader");

export function isServedByTessera(): boolean {
  return servedByTessera.get() === true;
}

/**
 * The client address and user agent, for audit events, rate limits and lastUsedIp. The address
 * is the TCP peer's, unless TRUSTED_PROXY_HOPS says how many proxies in front of Tessera append
 * to X-Forwarded-For: then it is the entry that many hops from the right (proxy-addr's rule,
 * as Express's "trust proxy" count). Anything that is not an IP address becomes null.
 */
export function requestContextFrom(headers: Headers): RequestContext {
  return { ip: clientAddress(headers), userAgent: headers.get("user-agent") };
}

function clientAddress(headers: Headers): string | null {
  if (!isServedByTessera()) return null;
  const peer = headers.get(PEER_ADDRESS_HEADER) ?? "";
  const hops = getEnv().trustedProxyHops;
  if (hops === 0) return normalizedIp(peer);
  const forwarded = headers.get("x-forwarded-for") ?? undefined;
  // proxy-addr walks from the peer leftwards through X-Forwarded-For, trusting `hops` of them.
  const request = { headers: { "x-forwarded-for": forwarded }, connection: { remoteAddress: peer }, socket: { remoteAddress: peer } };
  return normalizedIp(proxyaddr(request as unknown as Parameters<typeof proxyaddr>[0], (_address, index) => index < hops));
}

/** A valid IP address in its canonical text form (IPv4-mapped IPv6 as IPv4), or null. */
export function normalizedIp(value: string | null | undefined): string | null {
  const text = value?.trim() ?? "";
  // Zone ids (fe80::1%eth0) name an interface of this host, not a client: refused with the rest.
  if (text === "" || text.length > 45 || text.includes("%")) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(text);
  const candidate = mapped?.[1] ?? text;
  const version = isIP(candidate);
  if (version === 4) return candidate;
  if (version === 6) return new URL(`http://[${candidate}]/`).hostname.slice(1, -1);
  return null;
}

/**
 * Whether the client reached Tessera over HTTPS. scripts/server.mjs speaks plain HTTP, so that
 * means a TLS-terminating proxy in front, which counts only when TRUSTED_PROXY_HOPS says it is
 * there: then the X-Forwarded-Proto entry that many hops from the right (the one the outermost
 * trusted proxy wrote) decides. A client's own X-Forwarded-Proto never does.
 */
export function servedOverHttps(headers: Headers): boolean {
  const hops = getEnv().trustedProxyHops;
  if (hops === 0) return false;
  const protocols = (headers.get("x-forwarded-proto") ?? "").split(",").map((entry) => entry.trim().toLowerCase());
  return protocols[Math.max(0, protocols.length - hops)] === "https";
}
