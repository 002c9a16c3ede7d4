import { NextResponse, type NextRequest } from "next/server";
import { getEnv, isDevelopment } from "@/lib/env";
import { createNonce, securityHeaders } from "@/lib/http/security-headers";

// Security headers for every page and route (lib/http/security-headers.ts). Pages get a fresh
// CSP nonce: Next.js reads it from the request's Content-Security-Policy header and puts it on
// its own scripts, which is why the root layout renders every page per request.
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const json = pathname.startsWith("/api/") || pathname.startsWith("/.well-known/");
  const headers = securityHeaders({
    nonce: json ? undefined : createNonce(),
    https: isHttps(request),
    development: isDevelopment(),
    inlineStyles: pathname === "/docs/api",
  });
  const forwarded = new Headers(request.headers);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"] ?? "");
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

// scripts/server.mjs speaks plain HTTP, so HTTPS means a TLS-terminating proxy in front, which
// counts only when TRUSTED_PROXY_HOPS says it is there. (request.nextUrl's protocol is no help:
// Next.js takes it from X-Forwarded-Proto, which any client can send.) Like X-Forwarded-For, the
// entry that many hops from the right is the one the outermost trusted proxy wrote.
function isHttps(request: NextRequest): boolean {
  const hops = getEnv().trustedProxyHops;
  if (hops === 0) return false;
  const protocols = (request.headers.get("x-forwarded-proto") ?? "").split(",").map((entry) => entry.trim().toLowerCase());
  return protocols[Math.max(0, protocols.length - hops)] === "https";
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
