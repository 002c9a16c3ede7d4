import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, createNonce, securityHeaders } from "@/lib/http/security-headers";

const directives = (policy: string) => new Map(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)] as const));

describe("security headers", () => {
  it("a page's CSP runs only scripts with its nonce and what they load, and nothing from elsewhere", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc", development: false }));
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
    expect(csp.get("style-src")).toEqual(["'self'", "'nonce-abc'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("form-action")).toEqual(["'self'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect([...csp.values()].flat()).not.toContain("'unsafe-eval'");
    expect(csp.get("script-src")).not.toContain("'unsafe-inline'");
  });

  it("only the API reference page allows inline style elements, and then without a nonce (which would cancel it)", () => {
    const csp = directives(contentSecurityPolicy({ nonce: "abc", development: false, inlineStyles: true }));
    expect(csp.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get("script-src")).toEqual(["'self'", "'nonce-abc'", "'strict-dynamic'"]);
  });

  it("allows eval in development only", () => {
    expect(contentSecurityPolicy({ nonce: "abc", development: true })).toContain("'unsafe-eval'");
  });

  it("JSON routes get a CSP that allows nothing", () => {
    expect(contentSecurityPolicy({ development: false })).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it("sends HSTS only over HTTPS, and always denies camera, microphone and geolocation", () => {
    const plain = securityHeaders({ nonce: "abc", https: false, development: false });
    expect(plain["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ https: true, development: false })["Strict-Transport-Security"]).toMatch(/^max-age=\d{8,}/);
    for (const feature of ["camera=()", "microphone=()", "geolocation=()"]) expect(plain["Permissions-Policy"]).toContain(feature);
  });

  it("nonces are fresh base64 of 128 bits", () => {
    const nonce = createNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce()).not.toBe(nonce);
  });
});
