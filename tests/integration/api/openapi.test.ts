import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";

function apiPaths(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return apiPaths(full);
    if (name !== "route.ts") return [];
    return [
      `/${path
        .relative("app", path.dirname(full))
        .split(path.sep)
        .join("/")
        .replace(/\[(\w+)\]/g, "{$1}")}`,
    ];
  });
}

describe("GET /api/v1/openapi.json", () => {
  it("is an OpenAPI 3.1 document with bearer auth and a curl example", async () => {
    const document = await (await GET(new Request("http://127.0.0.1:3000/api/v1/openapi.json"))).json();
    expect(document.openapi).toBe("3.1.0");
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.info.description).toContain('curl -H "Authorization: Bearer $TESSERA_TOKEN" http://127.0.0.1:3000/api/v1/me');
    expect(document.components.schemas.Token.properties.account_sid).toBeDefined();
    expect(document.components.schemas.Token.properties).not.toHaveProperty("secret_hash");
  });

  it("describes every /api/v1 route", async () => {
    const document = await (await GET(new Request("http://127.0.0.1/api/v1/openapi.json"))).json();
    const documented = Object.keys(document.paths);
    for (const route of apiPaths(path.join("app", "api", "v1"))) {
      if (route === "/api/v1/openapi.json") continue;
      expect(documented, route).toContain(route);
    }
  });
});
