import { describe, expect, it } from "vitest";
import { hasMalformedPath, isValidHost, normalizeHeaders, refusal, trustedProxyHops } from "../../scripts/request-guard.mjs";

describe("scripts/server.mjs refuses paths Next.js cannot decode (once a 500)", () => {
  it.each(["/api/v1/tokens/%FF", "/api/v1/tokens/%E0%A4%A/rotate", "/admin/%", "/%C0%AF"])("%s is malformed", (path) => {
    expect(hasMalformedPath(path)).toBe(true);
  });

  it.each(["/", "/api/v1/tokens/0b7f9a52-8e3c-4d1a-9f6e-2c5b7a1d3e4f", "/docs/api?x=%FF", "/admin/tokens?search=%", "/caf%C3%A9"])(
    "%s is fine",
    (path) => {
      expect(hasMalformedPath(path)).toBe(false);
    },
  );
});

describe("scripts/server.mjs refuses methods and Host headers Next.js answered with a 500", () => {
  it.each(["TRACE", "CONNECT", "PROPFIND", "FOO"])("%s → 405", (method) => {
    expect(refusal(method, "/api/health", { host: "127.0.0.1:3000" })?.[0]).toBe(405);
  });

  it.each(["evil.example:99999", "[::1", "", "a b", "user@host", "host/path"])("Host %j → 400", (host) => {
    expect(refusal("GET", "/login", { host })?.[0]).toBe(400);
  });

  it.each(["127.0.0.1:3000", "localhost", "[::1]:3000", "tessera.example.com"])("Host %j passes", (host) => {
    expect(isValidHost(host)).toBe(true);
    expect(refusal("GET", "/login", { host })).toBeNull();
  });
});

describe("forwarding headers count only as far as TRUSTED_PROXY_HOPS trusts them", () => {
  const forged = () => ({
    host: "127.0.0.1:3000",
    "x-forwarded-proto": "http, https",
    "x-forwarded-host": "[::1",
    "x-forwarded-port": "99999",
    forwarded: "proto=https;host=evil.example",
  });

  it("with no trusted hop, a client's own forwarding headers are dropped", () => {
    expect(normalizeHeaders(forged(), 0)).toEqual({ host: "127.0.0.1:3000" });
  });

  it("with one trusted hop, the right-most entry counts, when valid", () => {
    const headers = normalizeHeaders({ ...forged(), "x-forwarded-host": "evil.example, tessera.example.com" }, 1);
    expect(headers).toEqual({ host: "127.0.0.1:3000", "x-forwarded-proto": "https", "x-forwarded-host": "tessera.example.com" });
  });

  it("with two trusted hops, the entry two from the right; an invalid one is dropped", () => {
    expect(normalizeHeaders({ ...forged(), "x-forwarded-proto": "gopher, HTTPS, http" }, 2)).toEqual({
      host: "127.0.0.1:3000",
      "x-forwarded-proto": "https",
    });
    expect(normalizeHeaders({ host: "h", "x-forwarded-proto": "https" }, 2)).toEqual({ host: "h" });
  });

  it("a Next-Router-State-Tree header that is not URL-encoded JSON is dropped; a real one stays", () => {
    const real = encodeURIComponent(JSON.stringify(["", { children: ["__PAGE__", {}] }, null, null, true]));
    expect(normalizeHeaders({ host: "h", "next-router-state-tree": "%%%garbage" }, 0)).toEqual({ host: "h" });
    expect(normalizeHeaders({ host: "h", "next-router-state-tree": real }, 0)).toEqual({ host: "h", "next-router-state-tree": real });
  });

  it.each([
    [undefined, 0],
    ["2", 2],
    ["11", 0],
    ["x", 0],
  ])("TRUSTED_PROXY_HOPS=%j → %d", (value, hops) => {
    expect(trustedProxyHops(value)).toBe(hops);
  });
});
