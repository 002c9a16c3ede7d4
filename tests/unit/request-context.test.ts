import { afterEach, describe, expect, it } from "vitest";
import { getEnv } from "@/lib/env";
import { normalizedIp, PEER_ADDRESS_HEADER, requestContextFrom } from "@/lib/http/request-context";

const SERVED = Symbol.for("tessera.peerAddressHeader");
const flags = globalThis as Record<symbol, unknown>;
const headers = (entries: Record<string, string>) => new Headers(entries);
const withHops = (hops: number) => {
  getEnv().trustedProxyHops = hops;
};

afterEach(() => {
  withHops(0);
  flags[SERVED] = true;
});

describe("client address", () => {
  it("is the TCP peer's by default; a client's own X-Forwarded-For is ignored", () => {
    const context = requestContextFrom(headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7", "x-forwarded-for": "1.2.3.4, 5.6.7.8" }));
    expect(context.ip).toBe("203.0.113.7");
  });

  it("with TRUSTED_PROXY_HOPS=N takes the Nth entry from the right of X-Forwarded-For", () => {
    const request = headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "9.9.9.9, 198.51.100.4, 10.0.0.1" });
    withHops(1);
    expect(requestContextFrom(request).ip).toBe("10.0.0.1");
    withHops(2);
    expect(requestContextFrom(request).ip).toBe("198.51.100.4");
    // Fewer entries than hops: the left-most one (the request did not pass every proxy).
    withHops(5);
    expect(requestContextFrom(request).ip).toBe("9.9.9.9");
  });

  it("is null unless it is an IP address, so nothing else reaches the audit log or lastUsedIp", () => {
    withHops(1);
    for (const forged of ["<script>", "not-an-ip", "1.2.3.4.5", "fe80::1%eth0", "x".repeat(100)]) {
      expect(requestContextFrom(headers({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": forged })).ip).toBeNull();
    }
  });

  it("is unknown (null) when not served by scripts/server.mjs, where the peer header could be forged", () => {
    flags[SERVED] = false;
    expect(requestContextFrom(headers({ [PEER_ADDRESS_HEADER]: "203.0.113.7" })).ip).toBeNull();
  });

  it("normalizes IPv4-mapped IPv6 and IPv6 text", () => {
    expect(normalizedIp("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizedIp("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(normalizedIp(" 192.0.2.1 ")).toBe("192.0.2.1");
  });
});
