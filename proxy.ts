import { NextResponse, type NextRequest } from "next/server";
import { isDevelopment } from "@/lib/env";
import { createNonce, securityHeaders } from "@/lib/http/security-headers";
import { servedOverHttps } from "@/lib/http/request-context";

// Security headers for every page and route (lib/http/security-headers.ts). Pages get a fresh
// CSP nonce: Next.js reads it from the request's Content-Security-Policy header and puts it on
// its own scripts, which is why the root layout renders every page per request.
export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const json = pathname.startsWith("/api/") || pathname.startsWith("/.well-known/");
  const headers = securityHeaders({
    nonce: json ? undefined : createNonce(),
    https: servedOverHttps(request.headers),
    development: isDevelopment(),
    inlineStyles: pathname === "/docs/api",
  });
  const forwarded = new Headers(request.headers);
  forwarded.set("Content-Security-Policy", headers["Content-Security-Policy"] ?? "");
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  matcher: ["/((?!_next/static|_next/image).*)"],
};
