import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WITH_TOKEN, withToken, type WrappedHandler } from "@/lib/api/with-token";
import { describeAuthMatrix, ROUTE_METHODS } from "../../fixtures/auth-matrix";

// Next.js serves every one of these a route module exports; HEAD and OPTIONS too.
const EXPORTED_METHODS = [...ROUTE_METHODS, "HEAD", "OPTIONS"] as const;

// Every route handler under app/ is listed here automatically, whatever its folder or extension.
// A token-authenticated one must go through withToken and pass the shared authorization matrix
// (tests/fixtures/auth-matrix.ts); anything else must be on this list of routes that
// authenticate differently, with the reason.
const PUBLIC_ROUTES: Record<string, string> = {
  "(console)/[org]/admin/audit/export":
    "console session cookie, as a member of the URL's organization; lib/audit/log.ts auditCsv requires an admin",
  "api/auth/[...nextauth]": "Auth.js session endpoints (cookie + CSRF)",
  "api/health": "liveness probe, constant",
  "api/ready": "readiness probe, no data",
  "api/v1/openapi.json": "public API description",
  "api/v1/oauth/token": "authenticates the subject_token itself (RFC 8693)",
  "api/v1/credentials/revoke": "leak reports from anyone (SPEC §12): limited per address, always 202",
  "api/v1/secret-scanning/github":
    "GitHub's secret scanning (SPEC §12): authenticated by GitHub's ECDSA signature over the body against configured keys; refusals limited per address",
  ".well-known/jwks.json": "public keys",
  ".well-known/oauth-authorization-server": "public metadata (RFC 8414)",
};

function routeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js|jsx|mjs)$/.test(name) ? [full] : [];
  });
}

const appDir = path.resolve("app");
const routes = routeFiles(appDir).map((file) => ({ file, route: path.relative(appDir, path.dirname(file)).split(path.sep).join("/") }));

// vitest collects tests synchronously: the route modules are imported now, while the file is
// collected, so that each exported handler gets its own named matrix cases.
const tokenRoutes = await Promise.all(
  routes
    .filter(({ route }) => !(route in PUBLIC_ROUTES))
    .map(async ({ file, route }) => ({ route, routeModule: (await import(file)) as Record<string, unknown> })),
);

function isWrapped(handler: unknown): handler is WrappedHandler<Record<string, string>> {
  return typeof handler === "function" && WITH_TOKEN in handler;
}

/** "api/v1/tokens/[id]" → "/api/v1/tokens/{id}": the URL template, as the API reference writes it. */
const urlTemplateOf = (route: string) => `/${route.replace(/\[([^\]]+)\]/g, "{$1}")}`;

describe("route inventory", () => {
  it("finds the API routes", () => {
    expect(routes.map((r) => r.route)).toContain("api/v1/me");
  });

  it("withToken refuses an empty permission list, which would let every token through", () => {
    expect(() => withToken(async () => new Response(null), { permission: [] })).toThrow(/empty permission list/);
  });

  it("every listed public route still exists", () => {
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(Object.keys(PUBLIC_ROUTES)));
  });

  for (const { route, routeModule } of tokenRoutes) {
    it(`${urlTemplateOf(route)} — every exported handler is token-authenticated or a listed public route`, () => {
      for (const method of EXPORTED_METHODS) {
        if (!(method in routeModule)) continue;
        expect(isWrapped(routeModule[method]), `${method} /${route} is not wrapped in withToken`).toBe(true);
      }
    });

    // Every such route reads the request's credentials, so it is rendered per request, never
    // prerendered or cached: said once per route, as /api/health and the OAuth routes always did.
    if (EXPORTED_METHODS.some((method) => isWrapped(routeModule[method]))) {
      it(`${urlTemplateOf(route)} — declares itself dynamic`, () => {
        expect(routeModule.dynamic).toBe("force-dynamic");
      });
    }

    for (const method of ROUTE_METHODS) {
      const handler = routeModule[method];
      if (isWrapped(handler)) describeAuthMatrix(urlTemplateOf(route), method, handler);
    }
  }
});
