import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { WITH_TOKEN, type WrappedHandler } from "@/lib/api/with-token";
import { generateTokenFrom } from "@/lib/tokens/format";
import { callRoute, createApiFixture } from "../../fixtures/api";
import { createTestOrganization } from "../../fixtures/organizations";
import { consoleActor } from "@/lib/auth/actor";
import { createToken } from "@/lib/tokens/create";

// Every app/api route handler is listed here automatically. A token-authenticated one must go
// through withToken and pass the shared authorization matrix below; anything else must be on
// this list of routes that authenticate differently, with the reason.
const PUBLIC_ROUTES: Record<string, string> = {
  "api/auth/[...nextauth]": "Auth.js session endpoints (cookie + CSRF)",
  "api/health": "liveness probe, constant",
  "api/ready": "readiness probe, no data",
  "api/v1/openapi.json": "public API description",
  "api/v1/oauth/token": "authenticates the subject_token itself (RFC 8693)",
  ".well-known/jwks.json": "public keys",
  ".well-known/oauth-authorization-server": "public metadata (RFC 8414)",
};
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function routeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

const appDir = path.resolve("app");
const routes = routeFiles(path.join(appDir, "api"))
  .concat(routeFiles(path.join(appDir, ".well-known")))
  .map((file) => ({ file, route: path.relative(appDir, path.dirname(file)).split(path.sep).join("/") }));

type Fixture = Awaited<ReturnType<typeof createApiFixture>>;
let fixture: Fixture;
let foreignTokenId: string;
beforeAll(async () => {
  fixture = await createApiFixture();
  const other = await createTestOrganization("Other org");
  const foreign = await createToken(consoleActor(other.admin, { ip: null, userAgent: null }), {
    description: "foreign",
    permissions: ["tokens:read"],
  });
  foreignTokenId = foreign.token.id;
});

function isWrapped(handler: unknown): handler is WrappedHandler<Record<string, string>> {
  return typeof handler === "function" && WITH_TOKEN in handler;
}

describe("route inventory", () => {
  it("finds the API routes", () => {
    expect(routes.map((r) => r.route)).toContain("api/v1/me");
  });

  for (const { file, route } of routes) {
    describe(route, () => {
      it("every exported handler is token-authenticated or a listed public route", async () => {
        if (route in PUBLIC_ROUTES) return;
        const routeModule: Record<string, unknown> = await import(file);
        for (const method of METHODS) {
          if (!(method in routeModule)) continue;
          expect(isWrapped(routeModule[method]), `${method} /${route} is not wrapped in withToken`).toBe(true);
        }
      });

      it("passes the authorization matrix", async () => {
        if (route in PUBLIC_ROUTES) return;
        const routeModule: Record<string, unknown> = await import(file);
        for (const method of METHODS) {
          const handler = routeModule[method];
          if (!isWrapped(handler)) continue;
          await runMatrix(`${method} /${route}`, method, route, handler);
        }
      });
    });
  }
});

async function runMatrix(label: string, method: string, route: string, handler: WrappedHandler<Record<string, string>>) {
  const hasId = route.includes("[id]");
  const params: Record<string, string> = hasId ? { id: fixture.admin.token.id } : {};
  const body = method === "GET" ? undefined : {};
  const call = (authorization: string | undefined, extra: Partial<NonNullable<Parameters<typeof callRoute>[1]>> = {}) =>
    callRoute(handler, { method, authorization, params, body, ip: `198.51.100.${Math.floor(Math.random() * 200)}`, ...extra });
  const goodBody = generateTokenFrom("0123456789ABCDEFGHIJKLMNOPQRSTUV");
  const badChecksum = `${goodBody.slice(0, -1)}${goodBody.endsWith("A") ? "B" : "A"}`;

  const unauthorized: [string, string | undefined][] = [
    ["no header", undefined],
    ["Bearer alone", "Bearer"],
    ["wrong scheme", `Basic ${fixture.admin.value}`],
    ["malformed", "Bearer not-a-token"],
    ["bad checksum", `Bearer ${badChecksum}`],
    ["unknown", `Bearer ${goodBody}`],
    ["revoked", `Bearer ${fixture.revoked.value}`],
    ["expired", `Bearer ${fixture.expired.value}`],
    ["inactive", `Bearer ${fixture.inactive.value}`],
    ["owner inactive", `Bearer ${fixture.ownerInactive.value}`],
  ];
  for (const [name, authorization] of unauthorized) {
    const response = await call(authorization);
    expect(response.status, `${label}: ${name}`).toBe(401);
    expect(response.headers.get("www-authenticate"), `${label}: ${name}`).toContain('error="invalid_token"');
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const problem = await response.json();
    expect(problem).toMatchObject({ status: 401, code: "invalid_token" });
  }

  const required = handler[WITH_TOKEN].permission;
  if (required !== undefined) {
    const response = await call(`Bearer ${fixture.narrow.value}`);
    expect(response.status, `${label}: missing permission`).toBe(403);
    expect(response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    const problem = await response.json();
    expect(problem.code).toBe("insufficient_scope");
    expect(problem.detail).toMatch(/tokens:|reps:|audit:/);
  }

  if (hasId) {
    const response = await call(`Bearer ${fixture.admin.value}`, { params: { id: foreignTokenId } });
    expect(response.status, `${label}: other organization's object`).toBe(404);
  }

  const inQuery = await call(undefined, { path: `/api/v1/x?access_token=${fixture.admin.value}` });
  expect(inQuery.status, `${label}: token in query string`).toBe(400);
}
