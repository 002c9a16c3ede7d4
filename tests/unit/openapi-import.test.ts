import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { validate } from "@scalar/openapi-parser";
import { describe, expect, it, vi } from "vitest";
import { diffCatalog, scopesFromOpenApi, type CatalogScope, type ImportedScope } from "@/lib/applications/openapi-import";
import { scopeIdProblem } from "@/lib/applications/scope-id";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/openapi/${name}`, import.meta.url), "utf8");

const oauth = (scopes: Record<string, string>) => ({
  type: "oauth2",
  flows: { clientCredentials: { tokenUrl: "https://auth.example.com/token", scopes } },
});

// A minimal valid OpenAPI 3.0 document as JSON text, with `extra` merged in at the top level.
const openapi = (extra: Record<string, unknown>) =>
  JSON.stringify({ openapi: "3.0.3", info: { title: "Test API", version: "1" }, paths: {}, ...extra });

const ok = { "200": { description: "OK" } };

async function imported(text: string) {
  const result = await scopesFromOpenApi(text);
  if (!result.ok) throw new Error(`expected an import, got: ${result.errors.join(" | ")}`);
  return result;
}

async function errorsOf(text: string) {
  const result = await scopesFromOpenApi(text);
  if (result.ok) throw new Error("expected the import to fail");
  return result.errors;
}

describe("scope ids", () => {
  it("accepts lowercase words separated by colons, up to 100 characters", () => {
    for (const id of ["orders:read", "read:pets", "billing:invoices:export", "my-api:do_it", `a:${"b".repeat(98)}`]) {
      expect(scopeIdProblem(id), id).toBeNull();
    }
  });

  it("explains what is wrong with an invalid id", () => {
    expect(scopeIdProblem("read pets")).toBe('"read pets" is not a scope id: use lowercase words separated by colons, like orders:read.');
    expect(scopeIdProblem("")).toBe("A scope id cannot be empty.");
    expect(scopeIdProblem(`a:${"b".repeat(99)}`)).toMatch(/is too long: a scope id has at most 100 characters\.$/);
    for (const id of ["orders", "Orders:Read", "orders:", ":read", "1x:read", "orders::read", "orders:read "]) {
      expect(scopeIdProblem(id), id).toMatch(/is not a scope id/);
    }
  });
});

describe("scopesFromOpenApi — reading documents", () => {
  it("Swagger Petstore (OpenAPI 3.0 JSON): write:pets and read:pets with the operations that require them", async () => {
    const result = await imported(fixture("petstore-v3.json"));
    const operations = [
      "DELETE /pet/{petId}",
      "GET /pet/findByStatus",
      "GET /pet/findByTags",
      "GET /pet/{petId}",
      "POST /pet",
      "POST /pet/{petId}",
      "POST /pet/{petId}/uploadImage",
      "PUT /pet",
    ];
    const pets = (id: string, description: string) => ({ id, description, group: "pets", docsUrl: "https://swagger.io", operations });
    expect(result).toEqual({
      ok: true,
      title: "Swagger Petstore - OpenAPI 3.0",
      scopes: [pets("write:pets", "modify pets in your account"), pets("read:pets", "read your pets")],
    });
  });

  it("YAML (OpenAPI 3.1): flows merged, document-wide and per-operation security, security: [] and openIdConnect ignored", async () => {
    const result = await imported(fixture("orders.yaml"));
    expect(result.title).toBe("Orders API");
    const docsUrl = "https://docs.example.com/orders";
    const orders = (id: string, description: string, operations: string[]) => ({ id, description, group: "orders", docsUrl, operations });
    expect(result.scopes).toEqual([
      orders("orders:read", "Read orders.", ["DELETE /orders/{orderId}", "GET /orders", "GET /orders/{orderId}"]),
      orders("orders:write", "Place and cancel orders.", ["DELETE /orders/{orderId}", "POST /orders"]),
      // Used by no operation: the description says so, and there is nothing to link to.
      { id: "orders:export", description: "Operations: none", group: "orders", docsUrl: null, operations: [] },
      { id: "customers:read", description: "Read customers.", group: "customers", docsUrl, operations: ["GET /customers"] },
    ]);
    expect(JSON.stringify(result)).not.toContain("/health");
    expect(JSON.stringify(result)).not.toContain("openid");
  });

  it("only requirements naming an oauth2 scheme count; an operation's own security replaces the document's", async () => {
    const result = await imported(
      openapi({
        security: [{ oauth: ["things:read"] }],
        paths: {
          "/a": {
            get: { responses: ok },
            put: { security: [{ key: [] }], responses: ok },
            post: { security: [{ oauth: ["things:write", "things:write", "undefined:scope"] }], responses: ok },
            delete: { security: [], responses: ok },
          },
          "/b": { get: { security: [{ key: [], oauth: ["things:read"] }], responses: ok } },
        },
        components: {
          securitySchemes: {
            oauth: oauth({ "things:read": "", "things:write": "Write things." }),
            key: { type: "apiKey", name: "k", in: "header" },
          },
        },
      }),
    );
    expect(result.scopes.map((scope) => [scope.id, scope.operations])).toEqual([
      ["things:read", ["GET /a", "GET /b"]],
      ["things:write", ["POST /a"]],
    ]);
    expect(result.scopes[0]?.description).toBe("Operations: GET /a, GET /b");
    // No externalDocs: no docs link, whatever the operations.
    expect(result.scopes.map((scope) => scope.docsUrl)).toEqual([null, null]);
  });

  it("groups by subject: verb-first ids by their second word, others by their first", async () => {
    const ids = ["read:pets", "manage:billing:invoices", "admin:users", "orders:read", "billing:invoices:export"];
    const result = await imported(
      openapi({ components: { securitySchemes: { oauth: oauth(Object.fromEntries(ids.map((id) => [id, "x"]))) } } }),
    );
    expect(result.scopes.map((scope) => [scope.id, scope.group])).toEqual([
      ["read:pets", "pets"],
      ["manage:billing:invoices", "billing"],
      ["admin:users", "users"],
      ["orders:read", "orders"],
      ["billing:invoices:export", "billing"],
    ]);
  });

  it("descriptions are trimmed and cut to 500 characters; a non-https externalDocs gives no link", async () => {
    const result = await imported(
      openapi({
        externalDocs: { url: "http://docs.example.com" },
        security: [{ oauth: ["long:text"] }],
        paths: { "/a": { get: { responses: ok } } },
        components: { securitySchemes: { oauth: oauth({ "long:text": ` ${"x".repeat(800)} ` }) } },
      }),
    );
    const [scope] = result.scopes;
    expect(scope?.description).toBe(`${"x".repeat(499)}…`);
    expect(scope?.docsUrl).toBeNull();
  });
});

describe("scopesFromOpenApi — refusals", () => {
  it("invalid JSON and invalid YAML are reported, not thrown", async () => {
    expect(await errorsOf('{"openapi": "3.0.3",')).toEqual([expect.stringMatching(/^The document is not valid JSON: /)]);
    expect(await errorsOf("openapi: 3.0.3\ninfo: [unclosed\n")).toEqual([expect.stringMatching(/^The document is not valid YAML: /)]);
    expect(await errorsOf("   ")).toEqual(["The document is empty."]);
    expect(await errorsOf("[1, 2]")).toEqual([expect.stringMatching(/is not an OpenAPI document/)]);
  });

  it("Swagger 2.0 and other versions are refused by name", async () => {
    expect(await errorsOf(fixture("petstore-swagger2.json"))).toEqual(["Only OpenAPI 3 documents can be imported."]);
    expect(await errorsOf(openapi({ openapi: "3.2.0" }))).toEqual([
      "OpenAPI 3.2.0 is not supported: only OpenAPI 3.0 and 3.1 documents can be imported.",
    ]);
    expect(await errorsOf(openapi({ openapi: undefined }))).toEqual([expect.stringMatching(/has no openapi version field/)]);
  });

  it("a document that breaks the OpenAPI schema is refused with the validator's findings", async () => {
    const errors = await errorsOf(JSON.stringify({ openapi: "3.0.3", info: { version: "1" }, paths: {} }));
    expect(errors.join("\n")).toMatch(/title/);
  });

  it("no OAuth2 scheme, or one without scopes, is refused", async () => {
    const apiKeyOnly = openapi({ components: { securitySchemes: { key: { type: "apiKey", name: "k", in: "header" } } } });
    expect(await errorsOf(apiKeyOnly)).toEqual(["The document defines no OAuth2 scopes."]);
    expect(await errorsOf(openapi({ components: { securitySchemes: { oauth: oauth({}) } } }))).toEqual([
      "The document defines no OAuth2 scopes.",
    ]);
  });

  it("invalid scope ids fail the whole import, one error each", async () => {
    const scopes = { "orders:read": "", "read pets": "", "Orders:Write": "", admin: "" };
    expect(await errorsOf(openapi({ components: { securitySchemes: { oauth: oauth(scopes) } } }))).toEqual([
      '"read pets" is not a scope id: use lowercase words separated by colons, like orders:read.',
      '"Orders:Write" is not a scope id: use lowercase words separated by colons, like orders:read.',
      '"admin" is not a scope id: use lowercase words separated by colons, like orders:read.',
    ]);
  });

  it("more than 500 scopes, more than 1 MiB of UTF-8, or nesting past 200 levels is refused", async () => {
    const many = Object.fromEntries(Array.from({ length: 501 }, (_, n) => [`scope:n${n}`, ""]));
    expect(await errorsOf(openapi({ components: { securitySchemes: { oauth: oauth(many) } } }))).toEqual([
      "The document defines 501 scopes: at most 500 can be imported.",
    ]);
    // 600,000 characters, but 1.2 MB once encoded: the limit is on bytes.
    expect(await errorsOf(openapi({ "x-padding": "é".repeat(600_000) }))).toEqual(["The document is larger than 1 MiB."]);
    const deep = JSON.parse(`${"[".repeat(300)}${"]".repeat(300)}`);
    expect(await errorsOf(openapi({ "x-deep": deep }))).toEqual(["The document nests deeper than 200 levels."]);
  });

  it("external $refs (http, file, relative) are refused and never fetched or read", async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      response.end('{"type": "object"}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    const dir = mkdtempSync(join(tmpdir(), "openapi-import-"));
    const secret = `secret-${randomUUID()}`;
    const secretFile = join(dir, "secret.json");
    writeFileSync(secretFile, JSON.stringify({ type: "object", description: secret }));
    const passwdLine = readFileSync("/etc/passwd", "utf8").split("\n")[0] ?? "root:";
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const refs = [
      "http://127.0.0.1:9/x.json",
      `http://127.0.0.1:${port}/x.json`,
      "file:///etc/passwd",
      pathToFileURL(secretFile).href,
      secretFile,
      "./secret.json#/description",
    ];
    try {
      for (const ref of refs) {
        const text = openapi({
          paths: {
            "/a": { get: { responses: { "200": { description: "OK", content: { "application/json": { schema: { $ref: ref } } } } } } },
          },
          components: { securitySchemes: { oauth: oauth({ "things:read": "" }) } },
        });
        const result = await scopesFromOpenApi(text);
        expect(result).toEqual({
          ok: false,
          errors: [`${JSON.stringify(ref)} points outside the document: only references within it (#/…) can be imported.`],
        });
        expect(JSON.stringify(result)).not.toContain(secret);
        expect(JSON.stringify(result)).not.toContain(passwdLine);
      }
      // Beneath that check, the parser as this module calls it has no resolver for URLs or files.
      const bare = await validate(
        JSON.parse(openapi({ components: { schemas: { A: { $ref: `http://127.0.0.1:${port}/x.json` }, B: { $ref: secretFile } } } })),
      );
      expect(bare.valid).toBe(false);
      expect(JSON.stringify(bare)).not.toContain(secret);
      expect(requests).toBe(0);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("diffCatalog", () => {
  const live = (id: string, description: string): CatalogScope => ({ id, description, group: "things", docsUrl: null, deprecated: false });
  const inDoc = (id: string, description: string): ImportedScope => ({ id, description, group: "things", docsUrl: null, operations: [] });
  const nothing = { added: [], changed: [], deprecated: [], revived: [], unchanged: [] };

  it("adds new scopes, updates changed ones, deprecates missing ones, revives returning ones", () => {
    const current = [
      live("things:read", "Read things."),
      live("things:write", "Write things."),
      live("things:delete", "Delete things."),
      { ...live("things:export", "Export things."), deprecated: true },
      { ...live("things:legacy", "Old."), deprecated: true },
    ];
    const imported = [
      inDoc("things:read", "Read things."),
      { ...inDoc("things:write", "Create and update things."), group: "stuff" },
      inDoc("things:export", "Export things."),
      inDoc("things:share", "Share things."),
    ];
    expect(diffCatalog(current, imported)).toEqual({
      added: [imported[3]],
      changed: [{ id: "things:write", before: current[1], after: imported[1], fields: ["description", "group"] }],
      deprecated: [current[2]],
      revived: [imported[2]],
      unchanged: ["things:read"],
    });
  });

  it("a docs link that appears counts as a change; the same document twice changes nothing", () => {
    const current = [live("things:read", "Read things.")];
    const withDocs = { ...inDoc("things:read", "Read things."), docsUrl: "https://docs.example.com" };
    expect(diffCatalog(current, [withDocs]).changed).toEqual([
      { id: "things:read", before: current[0], after: withDocs, fields: ["docsUrl"] },
    ]);
    expect(diffCatalog(current, [inDoc("things:read", "Read things.")])).toEqual({ ...nothing, unchanged: ["things:read"] });
  });

  it("an empty document deprecates every live scope and deletes none", () => {
    const current = [live("a:read", "A"), { ...live("b:read", "B"), deprecated: true }];
    expect(diffCatalog(current, [])).toEqual({ ...nothing, deprecated: [current[0]] });
  });
});
