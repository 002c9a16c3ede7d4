import { describe, expect, it } from "vitest";
import { READ_BUDGET, readOpenApiDocument } from "@/lib/applications/openapi-reader";
import { scopesFromOpenApi } from "@/lib/applications/openapi-import";

// Security review, third round (issue 24, finding 3): a 138 KB YAML document with one anchor of
// 2,000 properties referenced by 4,000 aliases took 19 s to import, and stalled every request of
// every tenant meanwhile. Reading now runs in a worker thread, with budgets.

/** The reviewer's document: small as text, 8 million nodes once its aliases are expanded. */
function aliasBomb(properties = 2_000, aliases = 4_000): string {
  const anchor = Array.from({ length: properties }, (_, i) => `    p${i}: { type: string }`).join("\n");
  const uses = Array.from({ length: aliases }, (_, i) => `  s${i}: *big`).join("\n");
  return `openapi: 3.1.0
info: { title: Bomb, version: "1" }
paths: {}
x-big: &big
  type: object
  properties:
${anchor}
x-uses:
${uses}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows: { clientCredentials: { tokenUrl: "https://example.test/token", scopes: { "orders:read": "Read orders" } } }
`;
}

describe("importing an OpenAPI document cannot stall the server", () => {
  it("a document whose aliases expand past the budget is refused with a reason", async () => {
    const result = await scopesFromOpenApi(aliasBomb());
    expect(result).toEqual({
      ok: false,
      errors: [
        `The document expands to more than ${READ_BUDGET.maxNodes.toLocaleString("en-US")} nodes (YAML aliases are counted once per use).`,
      ],
    });
  });

  // An attacker review found the next way in: one 200 KB string aliased 1,200 times passed the
  // node budget and arrived in the request thread as 1,200 copies (477 MB).
  it("a document whose aliases repeat a long text past the text budget is refused in the worker", async () => {
    let text = `openapi: 3.1.0\ninfo:\n  title: t\n  version: "1"\n  x-a: &a ${"A".repeat(200_000)}\npaths: {}\nx-bomb:\n`;
    for (let i = 0; i < 1_200; i += 1) text += "  - *a\n";
    const before = process.memoryUsage().heapUsed;
    expect(await readOpenApiDocument(text)).toEqual({
      ok: false,
      errors: ["The document expands to more than 8 MiB of text (YAML aliases are counted once per use)."],
    });
    // Nothing of it came back: far below the 240 MB of copies (not a benchmark: an order of magnitude).
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100_000_000);
  });

  it("a read past its time budget is stopped and refused", async () => {
    const result = await readOpenApiDocument(aliasBomb(20, 20), { ...READ_BUDGET, milliseconds: 1 });
    expect(result).toEqual({ ok: false, errors: ["The document took longer than 0.001 seconds to read; it is too complex to import."] });
  });

  it("ten such imports at once are each refused, none crashing the server", async () => {
    // How the request thread fares meanwhile is measured by `npm run bench:import`, not asserted here.
    const results = await Promise.all(Array.from({ length: 10 }, () => scopesFromOpenApi(aliasBomb())));
    expect(results.every((result) => !result.ok && /expands to more than|too many documents/i.test(result.errors[0] ?? ""))).toBe(true);
  });

  it("an ordinary document still imports", async () => {
    const result = await scopesFromOpenApi(aliasBomb(3, 3));
    expect(result).toMatchObject({ ok: true, title: "Bomb", scopes: [{ id: "orders:read", description: "Read orders" }] });
  });
});
