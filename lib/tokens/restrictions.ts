import ipaddr from "ipaddr.js";
import { RESTRICTION_LIMITS } from "./restriction-limits";

// Per-token restrictions (SPEC §12): where a token may be used from, how often, and from when.
// Pure functions; verification (lib/tokens/admission.ts) applies them on every request.

export { RESTRICTION_LIMITS };

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/**
 * One line of "Allowed IP addresses" in canonical form: an IPv4 or IPv6 address or CIDR range,
 * as `network/prefix` (a bare address becomes /32 or /128, host bits are cleared, IPv4-mapped
 * IPv6 becomes IPv4). Null for anything else — including IPv4 shorthands like `10.1` or hex
 * parts, which ipaddr.js would accept but people rarely mean.
 */
export function normalizeCidr(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > RESTRICTION_LIMITS.cidrLength) return null;
  const [host = "", prefix, ...rest] = trimmed.split("/");
  if (rest.length > 0) return null;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return null;
  if (!ipaddr.IPv6.isValid(host) && !ipaddr.IPv4.isValidFourPartDecimal(host)) return null;
  let address: Address = ipaddr.parse(host);
  let bits = prefix === undefined ? (address.kind() === "ipv4" ? 32 : 128) : Number(prefix);
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (bits < 96) return null;
    address = (address as ipaddr.IPv6).toIPv4Address();
    bits -= 96;
  }
  if (bits > (address.kind() === "ipv4" ? 32 : 128)) return null;
  const network =
    address.kind() === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return `${network.toString()}/${bits}`;
}

/** A client address as matching needs it: IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is IPv4. */
function parseAddress(ip: string): Address | null {
  if (!ipaddr.isValid(ip)) return null;
  const address = ipaddr.parse(ip);
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) return (address as ipaddr.IPv6).toIPv4Address();
  return address;
}

export type AddressMatcher = (ip: string | null) => boolean;

// Parsed ranges per stored list. A verified record (and so its list) lives in the verification
// cache, so the list is parsed once per token and instance, not once per request.
const matchers = new WeakMap<readonly string[], AddressMatcher>();

/**
 * Whether a client address is in one of the ranges. An unknown address (no trusted proxy told
 * us, a malformed one) is in none: a restricted token fails closed.
 */
export function addressMatcher(cidrs: readonly string[]): AddressMatcher {
  const cached = matchers.get(cidrs);
  if (cached) return cached;
  const ranges: Range[] = cidrs.flatMap((cidr) => {
    try {
      return [ipaddr.parseCIDR(cidr)];
    } catch {
      return []; // only normalized ranges are stored; an unreadable one allows nothing
    }
  });
  const matcher: AddressMatcher = (ip) => {
    const address = ip === null ? null : parseAddress(ip);
    if (address === null) return false;
    return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
  };
  matchers.set(cidrs, matcher);
  return matcher;
}

/** The stored list from the form's or API's lines: null (any address) when there are none. */
export const storedAllowlist = (cidrs: readonly string[] | null | undefined): string[] | null =>
  cidrs === null || cidrs === undefined || cidrs.length === 0 ? null : [...new Set(cidrs)];

/**
 * A token that can change things: any `:write` permission, or an `:admin` one (tokens:admin
 * creates and changes every token). The policy may require an allowlist for these.
 */
export const holdsWritePermission = (permissions: readonly string[]) =>
  permissions.some((permission) => permission.endsWith(":write") || permission.endsWith(":admin"));

/** Whether every address of `cidr` is in one of `ranges` (all canonical, as stored). */
export function cidrWithin(cidr: string, ranges: readonly string[]): boolean {
  const [network, bits] = ipaddr.parseCIDR(cidr);
  return ranges.some((range) => {
    const [outer, outerBits] = ipaddr.parseCIDR(range);
    return outer.kind() === network.kind() && bits >= outerBits && network.match(outer, outerBits);
  });
}

/**
 * The ranges of a stored list wider than `minimum` allows: a prefix shorter than its family's
 * minimum (0.0.0.0/0 and ::/0 always are: a policy minimum is at least 1).
 */
export function rangesWiderThan(cidrs: readonly string[], minimum: { v4: number; v6: number }): string[] {
  return cidrs.filter((cidr) => {
    const [network, bits] = ipaddr.parseCIDR(cidr);
    return bits < Math.max(1, network.kind() === "ipv4" ? minimum.v4 : minimum.v6);
  });
}
