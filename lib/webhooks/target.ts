import ipaddr from "ipaddr.js";

// Where a webhook may be sent (SSRF defence). Tessera POSTs to URLs that admins type, from inside
// the network it runs in, so a URL must not reach the loopback interface, the private network, a
// cloud metadata service (169.254.169.254) or anything else that is not the public internet. The
// host is checked as typed (here, at save and at send) and every address it resolves to is checked
// again when the connection is made (lib/webhooks/send.ts), so DNS rebinding cannot slip past.

export const WEBHOOK_URL_MAX_LENGTH = 2000;

/** Whether loopback, private addresses and http:// are allowed (WEBHOOK_ALLOW_PRIVATE, for tests and local receivers). */
export type TargetPolicy = { allowPrivate: boolean };

/**
 * Only public unicast addresses: ipaddr.js names every special range (loopback, private, linkLocal,
 * uniqueLocal, carrierGradeNat, multicast, unspecified, broadcast, reserved, …) and calls the rest
 * "unicast". An IPv4-mapped IPv6 address is judged as the IPv4 address it carries; the IPv6
 * transition ranges that embed an IPv4 address (6to4, Teredo, NAT64) are refused, as they could
 * carry a private one.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  // IPv4-compatible IPv6 (::/96, deprecated) embeds an IPv4 address too; ipaddr.js calls it unicast.
  if (parsed.kind() === "ipv6" && parsed.match(ipaddr.IPv6.parse("::"), 96)) return false;
  return parsed.range() === "unicast";
}

/** The host as an IP literal (brackets removed), or null for a name. */
function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

// Names that resolve to the machine itself or the local network without asking DNS.
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** Why this URL cannot be a webhook endpoint, or null when it can. */
export function webhookUrlProblem(value: string, policy: TargetPolicy): string | null {
  if (value.length > WEBHOOK_URL_MAX_LENGTH) return `Must be at most ${WEBHOOK_URL_MAX_LENGTH} characters.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Enter a full URL, e.g. https://example.com/webhooks/tessera.";
  }
  if (url.protocol !== "https:" && !(policy.allowPrivate && url.protocol === "http:")) {
    return "Must be an https:// URL.";
  }
  if (url.username || url.password) return "Must not contain a user name or password: authenticate deliveries by their signature.";
  if (url.hash) return "Must not contain a #fragment.";
  if (policy.allowPrivate) return null;
  const hostname = url.hostname.replace(/\.+$/, "");
  const literal = ipLiteral(hostname);
  if (literal !== null) {
    return isPublicAddress(literal) ? null : "Must not point to a loopback, private, link-local or other non-public address.";
  }
  // WHATWG URL parsing already turned decimal, octal and hex IPv4 forms (http://2130706433/) into dotted quads.
  if (!hostname.includes(".") || LOCAL_NAMES.test(hostname)) return "Must name a public host, not a local one.";
  return null;
}
