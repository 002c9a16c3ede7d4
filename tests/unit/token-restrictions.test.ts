import { describe, expect, it } from "vitest";
import { addressMatcher, normalizeCidr } from "@/lib/tokens/restrictions";

// SPEC §12: "Allowed IP addresses" are IPv4/IPv6 addresses or CIDR ranges, one per line.

describe("normalizeCidr", () => {
  it.each([
    ["203.0.113.7", "203.0.113.7/32"],
    [" 10.1.2.3/8 ", "10.0.0.0/8"],
    ["2001:DB8::1", "2001:db8::1/128"],
    ["2001:db8:abcd::/48", "2001:db8:abcd::/48"],
    ["::ffff:192.0.2.1", "192.0.2.1/32"],
    ["::ffff:192.0.2.0/120", "192.0.2.0/24"],
    ["0.0.0.0/0", "0.0.0.0/0"],
  ])("reads %s as %s", (input, expected) => {
    expect(normalizeCidr(input)).toBe(expected);
  });

  it.each([
    "",
    "10.0.0.300",
    "10.0.0.1/33",
    "2001:db8::/129",
    "10.1",
    "0x0a.0.0.1",
    "10.0.0.1/8/8",
    "10.0.0.1/-1",
    "10.0.0.1/ 8",
    "example.com",
    "::ffff:1.2.3.4/64",
    "1.2.3.4/08x",
  ])("refuses %j", (input) => {
    expect(normalizeCidr(input)).toBeNull();
  });
});

describe("addressMatcher", () => {
  const allowed = addressMatcher(["203.0.113.0/24", "2001:db8::/32"]);

  it("allows addresses inside a range, IPv4-mapped IPv6 included", () => {
    expect(allowed("203.0.113.200")).toBe(true);
    expect(allowed("::ffff:203.0.113.9")).toBe(true);
    expect(allowed("2001:db8:1::5")).toBe(true);
  });

  it("refuses addresses outside, of the other family, malformed or unknown", () => {
    expect(allowed("203.0.114.1")).toBe(false);
    expect(allowed("2001:db9::1")).toBe(false);
    expect(allowed("not an address")).toBe(false);
    expect(allowed(null)).toBe(false);
  });

  it("parses each stored list once", () => {
    const list = ["192.0.2.0/24"];
    expect(addressMatcher(list)).toBe(addressMatcher(list));
  });
});
