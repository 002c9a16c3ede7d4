import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listApplicationsRoute, POST as createApplicationRoute } from "@/app/api/v1/applications/route";
import { GET as getApplicationRoute, PATCH as patchApplicationRoute } from "@/app/api/v1/applications/[id]/route";
import { POST as importRoute } from "@/app/api/v1/applications/[id]/import/route";
import { GET as listTokensRoute, POST as createTokenRoute } from "@/app/api/v1/tokens/route";
import { getDb } from "@/db";
import { applications, applicationScopes, auditEvents } from "@/db/schema";
import { createToken } from "@/lib/tokens/create";
import { verifyToken } from "@/lib/tokens/verify";
import { actorFor } from "../../fixtures/actors";
import { callRoute } from "../../fixtures/api";
import { applicationIdOf } from "../../fixtures/applications";
import { createTestOrganization } from "../../fixtures/organizations";
import { readFileSync } from "node:fs";

// SPEC §9 through the API, written as the attacks first: another organization, a rep, a token of
// the wrong application, a token lacking applications:write, bad catalogs that must save nothing.

type Org = Awaited<ReturnType<typeof createTestOrganization>>;
let org: Org;
let other: Org;
let writer: string;
let reader: string;
let tokenAdmin: string;

const petstore = readFileSync("tests/fixtures/openapi/petstore-v3.json", "utf8");

beforeAll(async () => {
  org = await createTestOrganization("Apps");
  other = await createTestOrganization("Other");
  const admin = actorFor(org.admin);
  writer = (await createToken(admin, { description: "apps writer", permissions: ["applications:read", "applications:write"] })).value;
  reader = (await createToken(admin, { description: "apps reader", permissions: ["applications:read"] })).value;
  tokenAdmin = (await createToken(admin, { description: "token admin", permissions: ["tokens:admin", "tokens:write"] })).value;
});

let counter = 0;
const unique = () => `${Date.now().toString(36)}-${(counter += 1)}`;
const newApplication = (overrides: Record<string, unknown> = {}) => ({
  name: `Billing ${unique()}`,
  audience: `https://billing-${unique()}.example.com`,
  docs_url: "https://docs.example.com/billing",
  scopes: [
    { id: "invoices:read", description: "Read invoices", docs_url: "https://docs.example.com/billing#invoices-read" },
    { id: "invoices:write", description: "Issue invoices" },
    { id: "billing:admin", description: "Change billing settings", admin_only: true },
  ],
  presets: [{ name: "Read-only", scopes: ["invoices:read"] }],
  ...overrides,
});

async function create(body: unknown, token = writer) {
  return callRoute(createApplicationRoute, { method: "POST", token, body });
}

/** Creates an application through the API; fails the test unless it was created. */
async function createApp(overrides: Record<string, unknown> = {}): Promise<{ id: string }> {
  const response = await create(newApplication(overrides));
  expect(response.status).toBe(201);
  return response.json();
}

async function applicationCount(organizationId: string) {
  const [row] = await (await getDb()).select({ n: count() }).from(applications).where(eq(applications.organizationId, organizationId));
  return row?.n ?? 0;
}

describe("/api/v1/applications", () => {
  it("POST — creates an application with its scopes and presets, audited; GET lists it after the built-in Tessera API", async () => {
    const body = newApplication();
    const response = await create(body);
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created).toMatchObject({
      name: body.name,
      audience: body.audience,
      built_in: false,
      archived: false,
      client_id: created.id,
      scopes: [
        { id: "invoices:read", group: "invoices", docs_url: "https://docs.example.com/billing#invoices-read", admin_only: false },
        { id: "invoices:write", group: "invoices", docs_url: null },
        { id: "billing:admin", admin_only: true, deprecated: false },
      ],
      presets: [{ name: "Read-only", scopes: ["invoices:read"] }],
    });
    const list = await (await callRoute(listApplicationsRoute, { token: reader })).json();
    expect(list.data[0]).toMatchObject({ slug: "tessera-api", built_in: true, audience: "http://localhost:3000", client_id: null });
    expect(list.data.map((a: { id: string }) => a.id)).toContain(created.id);
    const [event] = await (
      await getDb()
    )
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "application.created"), eq(auditEvents.targetId, created.id)));
    expect(event).toMatchObject({ organizationId: org.organization.id, targetType: "application" });
  });

  it("bad catalogs answer 422 naming the field and save nothing", async () => {
    const before = await applicationCount(org.organization.id);
    const taken = newApplication();
    expect((await create(taken)).status).toBe(201);
    const cases: [string, Record<string, unknown>, string][] = [
      ["a scope id outside the pattern", { scopes: [{ id: "Read Invoices", description: "x" }] }, "scopes"],
      ["a one-word scope id", { scopes: [{ id: "invoices", description: "x" }] }, "scopes"],
      [
        "duplicate scope ids",
        {
          scopes: [
            { id: "a:b", description: "x" },
            { id: "a:b", description: "y" },
          ],
        },
        "scopes",
      ],
      ["a duplicate audience", { audience: taken.audience }, "audience"],
      ["Tessera's own audience", { audience: "http://localhost:3000" }, "audience"],
      ["an audience that is not a URI", { audience: "billing api" }, "audience"],
      ["a javascript: docs URL", { docs_url: "javascript:alert(1)" }, "docsUrl"],
      ["a preset naming an unknown scope", { presets: [{ name: "P", scopes: ["nope:read"] }] }, "presets"],
    ];
    for (const [name, override, field] of cases) {
      const response = await create(newApplication(override));
      expect(response.status, name).toBe(422);
      expect(Object.keys((await response.json()).errors ?? {}), name).toContain(field);
    }
    expect(await applicationCount(org.organization.id)).toBe(before + 1);
  });

  it("a token needs applications:write to change and applications:read to see; a tokens:admin token has neither", async () => {
    expect((await create(newApplication(), reader)).status).toBe(403);
    expect((await create(newApplication(), tokenAdmin)).status).toBe(403);
    expect((await callRoute(listApplicationsRoute, { token: tokenAdmin })).status).toBe(403);
  });

  it("another organization's application is 404 to GET, PATCH and import, and stays unchanged", async () => {
    const foreign = await applicationIdOf(other.organization.id, "enterprise-rest-api");
    expect((await callRoute(getApplicationRoute, { token: reader, params: { id: foreign } })).status).toBe(404);
    const patch = await callRoute(patchApplicationRoute, {
      method: "PATCH",
      token: writer,
      params: { id: foreign },
      body: { name: "Mine now" },
    });
    expect(patch.status).toBe(404);
    const imported = await callRoute(importRoute, { method: "POST", token: writer, params: { id: foreign }, body: { document: petstore } });
    expect(imported.status).toBe(404);
    const [row] = await (await getDb()).select().from(applications).where(eq(applications.id, foreign));
    expect(row?.name).toBe("Enterprise REST API");
  });

  it("the built-in Tessera API cannot be changed or archived (409)", async () => {
    const builtIn = await applicationIdOf(org.organization.id, "tessera-api");
    for (const body of [{ name: "Renamed" }, { scopes: [{ id: "tokens:root", description: "all" }] }, { archived: true }]) {
      expect((await callRoute(patchApplicationRoute, { method: "PATCH", token: writer, params: { id: builtIn }, body })).status).toBe(409);
    }
  });

  it("a token of another application holding a scope named tokens:admin gets nothing from Tessera's API", async () => {
    const app = await createApp({ scopes: [{ id: "tokens:admin", description: "Their own admin" }], presets: [] });
    const lookalike = await createToken(actorFor(org.admin), {
      description: "lookalike",
      applicationId: app.id,
      permissions: ["tokens:admin"],
    });
    expect(lookalike.token.effectivePermissions).toEqual(["tokens:admin"]);
    const response = await callRoute(listTokensRoute, { token: lookalike.value });
    expect(response.status).toBe(403);
    expect(
      (
        await callRoute(createTokenRoute, {
          method: "POST",
          token: lookalike.value,
          body: { description: "x", permissions: ["tokens:read"] },
        })
      ).status,
    ).toBe(403);
  });

  it("a Tessera API token cannot mint a token for another application, whatever it holds (403 naming the scope)", async () => {
    const enterprise = await applicationIdOf(org.organization.id, "enterprise-rest-api");
    const response = await callRoute(createTokenRoute, {
      method: "POST",
      token: tokenAdmin,
      body: { description: "escalate", application_id: enterprise, permissions: ["employees:write"] },
    });
    expect(response.status).toBe(403);
    expect((await response.json()).detail).toContain("employees:write");
  });

  it("archiving asks to confirm how many live tokens it stops; confirmed, they stop on every instance", async () => {
    const app = await createApp();
    const admin = actorFor(org.admin);
    const live = await createToken(admin, { description: "to stop", applicationId: app.id, permissions: ["invoices:read"] });
    expect((await verifyToken(live.value)).ok).toBe(true);
    const patch = (body: unknown) => callRoute(patchApplicationRoute, { method: "PATCH", token: writer, params: { id: app.id }, body });
    const unconfirmed = await patch({ archived: true });
    expect(unconfirmed.status).toBe(409);
    expect((await unconfirmed.json()).detail).toContain("1 live token");
    expect((await patch({ archived: true, stop_live_tokens: 2 })).status).toBe(409);
    expect((await verifyToken(live.value)).ok).toBe(true);
    const archived = await patch({ archived: true, stop_live_tokens: 1 });
    expect(archived.status).toBe(200);
    expect(await archived.json()).toMatchObject({ archived: true });
    await expect.poll(async () => verifyToken(live.value), { timeout: 5000 }).toMatchObject({ ok: false, reason: "application_archived" });
    // An archived application takes no new tokens.
    const refused = await createToken(admin, { description: "late", applicationId: app.id, permissions: ["invoices:read"] }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ code: "invalid", fieldErrors: { applicationId: [expect.any(String)] } });
    // Unarchiving brings the tokens back (it stopped them, it did not revoke them).
    expect((await patch({ archived: false })).status).toBe(200);
    await expect.poll(async () => (await verifyToken(live.value)).ok, { timeout: 5000 }).toBe(true);
  });

  it("a deprecated scope stops at once for the tokens holding it, is offered to no new token, and comes back when restored", async () => {
    const app = await createApp();
    const admin = actorFor(org.admin);
    const holder = await createToken(admin, { description: "holder", applicationId: app.id, permissions: ["invoices:write"] });
    const deprecate = await callRoute(patchApplicationRoute, {
      method: "PATCH",
      token: writer,
      params: { id: app.id },
      body: { scopes: [{ id: "invoices:write", description: "Issue invoices", deprecated: true }] },
    });
    expect(deprecate.status).toBe(200);
    const effective = async () => {
      const verified = await verifyToken(holder.value);
      return verified.ok ? verified.principal.permissions : null;
    };
    await expect.poll(effective, { timeout: 5000 }).toEqual([]);
    const refused = await createToken(admin, { description: "new", applicationId: app.id, permissions: ["invoices:write"] }).catch(
      (e: unknown) => e,
    );
    expect(refused).toMatchObject({ fieldErrors: { permissions: ["invoices:write is deprecated and can no longer be granted."] } });
    const restore = await callRoute(patchApplicationRoute, {
      method: "PATCH",
      token: writer,
      params: { id: app.id },
      body: { scopes: [{ id: "invoices:write", description: "Issue invoices", deprecated: false }] },
    });
    expect(restore.status).toBe(200);
    await expect.poll(effective, { timeout: 5000 }).toEqual(["invoices:write"]);
  });

  it("a rep never holds an admin-only scope of any application (422)", async () => {
    const app = await createApp();
    const refused = await createToken(actorFor(org.repOne), {
      description: "rep",
      applicationId: app.id,
      permissions: ["billing:admin"],
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "invalid", fieldErrors: { permissions: [expect.stringContaining("billing:admin")] } });
  });

  it("POST …/import — dry_run previews the petstore's scopes and saves nothing; then the import adds them, audited", async () => {
    const app = await createApp({ scopes: [], presets: [] });
    const call = (body: unknown) => callRoute(importRoute, { method: "POST", token: writer, params: { id: app.id }, body });
    const preview = await call({ document: petstore, dry_run: true });
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ applied: false, added: ["write:pets", "read:pets"], deprecated: [] });
    const scopesOf = async () =>
      (await (await getDb()).select().from(applicationScopes).where(eq(applicationScopes.applicationId, app.id)))
        .map((s) => s.scope)
        .sort();
    expect(await scopesOf()).toEqual([]);
    const applied = await call({ document: petstore });
    expect(await applied.json()).toMatchObject({ applied: true, added: ["write:pets", "read:pets"] });
    expect(await scopesOf()).toEqual(["read:pets", "write:pets"]);
    const invalid = await call({ document: '{"swagger":"2.0"}' });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errors.document.length).toBeGreaterThan(0);
  });
});
