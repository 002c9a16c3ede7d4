/**
 * The security headers of every response, as a pure function of the request's facts (proxy.ts
 * supplies them). Pages get a nonce-based Content-Security-Policy: only scripts that carry this
 * response's nonce run, and what they load ('strict-dynamic'); JSON routes get one that allows
 * nothing at all.
 */
export type SecurityHeaderInput = {
  /** Fresh per response; undefined for JSON routes. */
  nonce?: string;
  /** Served over HTTPS (the request's own protocol, or a trusted proxy's X-Forwarded-Proto). */
  https: boolean;
  /** `next dev`: React rebuilds server error stacks with eval there, and only there. */
  development: boolean;
  /** The API reference: Scalar injects <style> elements at run time and cannot be given the nonce. */
  inlineStyles?: boolean;
};

export function contentSecurityPolicy({ nonce, development, inlineStyles = false }: Omit<SecurityHeaderInput, "https">): string {
  if (nonce === undefined) return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    // Elements (<style>, <link>) need the nonce or this origin. Attributes (style="…") are
    // allowed: React, Radix (the dialogs' scroll lock) and Scalar set them, and a style attribute
    // can neither run script nor read the page.
    // (A nonce would make browsers ignore 'unsafe-inline', so the reference page gets none.)
    inlineStyles ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

// Powerful features no page of the console uses.
const PERMISSIONS_POLICY = [
  "camera",
  "microphone",
  "geolocation",
  "payment",
  "usb",
  "serial",
  "bluetooth",
  "hid",
  "midi",
  "magnetometer",
  "gyroscope",
  "accelerometer",
  "display-capture",
  "browsing-topics",
]
  .map((feature) => `${feature}=()`)
  .join(", ");

export function securityHeaders(input: SecurityHeaderInput): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(input),
    "Permissions-Policy": PERMISSIONS_POLICY,
    // Browsers ignore it over plain HTTP; sending it only over HTTPS keeps a local
    // `http://localhost` from being pinned to HTTPS for a year.
    ...(input.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
