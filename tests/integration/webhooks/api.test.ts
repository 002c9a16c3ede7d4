import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute, POST as createRoute } from "@/app/api/v1/webhooks/route";
import { DELETE as deleteRoute, GET as getRoute, PATCH as patchRoute } from "@/app/api/v1/webhooks/[id]/route";
import { GET as deliveriesRoute } from "@/app/api/v1/webhooks/[id]/deliveries/route";
import { POST as rotateRoute } from "@/app/api/v1/webhooks/[id]/rotate-secret/route";
import { POST as testRoute } from "@/app/api/v1/webhooks/[id]/test/route";
import { GET as openApiRoute } from "@/app/api/v1/openapi.json/route";
import { getDb } from "@/db";
import { auditEvents, webhookAttempts, webhookEndpoints } from "@/db/schema";
import { DomainError } from "@/lib/shared/errors";
import { createToken } from "@/lib/tokens/create";
import { listWebhookDeliveries, sendTestEvent } from "@/lib/webhooks/deliveries";
import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookEndpointSecret,
  updateWebhookEndpoint,
} from "@/lib/webhooks/endpoints";
import { actorFor } from "../../fixtures/actors";
import { callRoute } from "../../fixtures/api";
import { createTestOrganization } from "../../fixtures/organizations";

// SPEC §12 through the API, attacks first: another organization, a rep, a token without
// tokens:admin, forged ids, URLs that point inside the network. WEBHOOK_ALLOW_PRIVATE is off here.

type Org = Awaited<ReturnType<typeof createTestOrganization>>;
let org: Org;
let other: Org;
let admin: string;
let otherAdmin: string;
let withoutPermission: string;
let rep: string;

beforeAll(async () => {
  org = await createTestOrganization("Hooks");
  other = await createTestOrganization("Other");
  admin = (await createToken(actorFor(org.admin), { description: "hooks admin", permissions: ["tokens:admin"] })).value;
  withoutPermission = (await createToken(actorFor(org.admin), { description: "apps only", permissions: ["applications:write"] })).value;
  rep = (await createToken(actorFor(org.repOne), { description: "rep", permissions: ["tokens:read", "tokens:write"] })).value;
  otherAdmin = (await createToken(actorFor(other.admin), { description: "other admin", permissions: ["tokens:admin"] })).value;
});

const endpointBody = (overrides: Record<string, unknown> = {}) => ({
  url: "https://hooks.example.com/tessera",
  description: "Security team",
  events: ["token.revoked", "token.leaked"],
  ...overrides,
});

async function endpointCount(organizationId: string) {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.organizationId, organizationId));
  return row?.n ?? 0;
}

async function createEndpoint(token = admin): Promise<{ id: string; secret: string }> {
  const response = await callRoute(createRoute, { method: "POST", token, body: endpointBody() });
  expect(response.status).toBe(201);
  return response.json();
}

describe("/api/v1/webhooks", () => {
  it("POST — adds an endpoint, its secret in that response only; GET never shows it; audited without it", async () => {
    const response = await callRoute(createRoute, { method: "POST", token: admin, body: endpointBody() });
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const created = await response.json();
    expect(created).toMatchObject({ url: "https://hooks.example.com/tessera", events: ["token.revoked", "token.leaked"], active: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{44}$/);
    expect(response.headers.get("location")).toBe(`/api/v1/webhooks/${created.id}`);

    const list = await (await callRoute(listRoute, { token: admin })).json();
    expect(list.data.map((endpoint: { id: string }) => endpoint.id)).toContain(created.id);
    const one = await callRoute(getRoute, { token: admin, params: { id: created.id } });
    const text = await one.text();
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain('secret":');

    const db = await getDb();
    const audited = await db.select().from(auditEvents).where(eq(auditEvents.targetId, created.id));
    expect(audited.map((event) => event.action)).toEqual(["webhook.created"]);
    expect(JSON.stringify(audited)).not.toContain(created.secret);
  });

  it.each([
    ["http://hooks.example.com/", /https/],
    ["https://127.0.0.1/hook", /not point to/],
    ["https://10.1.2.3/hook", /not point to/],
    ["https://[::1]/hook", /not point to/],
    ["https://[fd00::1]/hook", /not point to/],
    ["https://169.254.169.254/latest/meta-data/", /not point to/],
    ["https://localhost/hook", /public host/],
    ["https://user:password@hooks.example.com/", /user name or password/],
  ])("POST %s — 422 with a clear error, nothing created", async (url, message) => {
    const before = await endpointCount(org.organization.id);
    const response = await callRoute(createRoute, { method: "POST", token: admin, body: endpointBody({ url }) });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const problem = await response.json();
    expect(problem.errors.url[0]).toMatch(message);
    expect(await endpointCount(org.organization.id)).toBe(before);
  });

  it("POST — unknown events, no events, unknown fields: 422, nothing created", async () => {
    const before = await endpointCount(org.organization.id);
    for (const body of [endpointBody({ events: ["token.stolen"] }), endpointBody({ events: [] }), endpointBody({ secret: "whsec_mine" })]) {
      expect((await callRoute(createRoute, { method: "POST", token: admin, body })).status).toBe(422);
    }
    expect(await endpointCount(org.organization.id)).toBe(before);
  });

  it("PATCH — a private URL is refused and nothing changes; a good change is audited", async () => {
    const { id } = await createEndpoint();
    const refused = await callRoute(patchRoute, { method: "PATCH", token: admin, params: { id }, body: { url: "https://192.168.0.1/" } });
    expect(refused.status).toBe(422);
    expect((await (await callRoute(getRoute, { token: admin, params: { id } })).json()).url).toBe("https://hooks.example.com/tessera");
    const changed = await callRoute(patchRoute, {
      method: "PATCH",
      token: admin,
      params: { id },
      body: { active: false, events: ["token.created"] },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ active: false, events: ["token.created"] });
  });

  it("another organization's admin gets 404 for every webhook route, and changes nothing", async () => {
    const { id } = await createEndpoint();
    const params = { id };
    const answers = [
      await callRoute(getRoute, { token: otherAdmin, params }),
      await callRoute(patchRoute, { method: "PATCH", token: otherAdmin, params, body: { url: "https://evil.example.com/" } }),
      await callRoute(deleteRoute, { method: "DELETE", token: otherAdmin, params }),
      await callRoute(rotateRoute, { method: "POST", token: otherAdmin, params }),
      await callRoute(testRoute, { method: "POST", token: otherAdmin, params }),
      await callRoute(deliveriesRoute, { token: otherAdmin, params }),
    ];
    expect(answers.map((response) => response.status)).toEqual([404, 404, 404, 404, 404, 404]);
    const list = await (await callRoute(listRoute, { token: otherAdmin })).json();
    expect(list.data.map((endpoint: { id: string }) => endpoint.id)).not.toContain(id);
    expect((await (await callRoute(getRoute, { token: admin, params })).json()).url).toBe("https://hooks.example.com/tessera");
  });

  it("a rep's token and an admin's token without tokens:admin get 403 for every webhook route", async () => {
    const { id } = await createEndpoint();
    const params = { id };
    for (const token of [rep, withoutPermission]) {
      const answers = [
        await callRoute(listRoute, { token }),
        await callRoute(createRoute, { method: "POST", token, body: endpointBody() }),
        await callRoute(getRoute, { token, params }),
        await callRoute(patchRoute, { method: "PATCH", token, params, body: { active: false } }),
        await callRoute(deleteRoute, { method: "DELETE", token, params }),
        await callRoute(rotateRoute, { method: "POST", token, params }),
        await callRoute(testRoute, { method: "POST", token, params }),
        await callRoute(deliveriesRoute, { token, params }),
      ];
      expect(answers.map((response) => response.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    }
  });

  it("forged ids answer 404", async () => {
    for (const id of ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "../../tokens"]) {
      expect((await callRoute(getRoute, { token: admin, params: { id } })).status).toBe(404);
      expect((await callRoute(deliveriesRoute, { token: admin, params: { id } })).status).toBe(404);
    }
  });

  it("rotate-secret answers a new secret and when the previous one stops signing; DELETE removes the endpoint", async () => {
    const { id, secret } = await createEndpoint();
    const response = await callRoute(rotateRoute, { method: "POST", token: admin, params: { id } });
    expect(response.status).toBe(200);
    const rotated = await response.json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    expect(Date.parse(rotated.previous_secret_expires_at) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect((await (await callRoute(getRoute, { token: admin, params: { id } })).json()).previous_secret_expires_at).toBe(
      rotated.previous_secret_expires_at,
    );
    expect((await callRoute(deleteRoute, { method: "DELETE", token: admin, params: { id } })).status).toBe(204);
    expect((await callRoute(getRoute, { token: admin, params: { id } })).status).toBe(404);
  });

  it("a stored URL that is no longer allowed is refused at delivery, without a request; the log says why", async () => {
    const { id } = await createEndpoint();
    // As if saved while WEBHOOK_ALLOW_PRIVATE was on.
    const db = await getDb();
    await db.update(webhookEndpoints).set({ url: "http://127.0.0.1:9/hook" }).where(eq(webhookEndpoints.id, id));
    const response = await callRoute(testRoute, { method: "POST", token: admin, params: { id } });
    expect(response.status).toBe(201);
    const delivery = await response.json();
    expect(delivery).toMatchObject({ event_type: "webhook.test", status: "pending", attempts: 1, last_status: null });
    expect(delivery.last_error).toMatch(/^Refused URL: Must be an https:\/\/ URL/);
    const attempts = await db.select().from(webhookAttempts).where(eq(webhookAttempts.deliveryId, delivery.id));
    expect(attempts).toHaveLength(1);

    const page = await (await callRoute(deliveriesRoute, { token: admin, params: { id } })).json();
    expect(page.data.map((row: { id: string }) => row.id)).toEqual([delivery.id]);
    expect(
      (await callRoute(deliveriesRoute, { token: admin, params: { id }, path: "/api/v1/webhooks/x/deliveries?cursor=nope" })).status,
    ).toBe(400);
  });

  it("the API reference documents the routes and the payload receivers get", async () => {
    const document = await (await openApiRoute(new Request("http://127.0.0.1/api/v1/openapi.json"))).json();
    expect(document.paths["/api/v1/webhooks/{id}/rotate-secret"].post.description).toContain("tokens:admin");
    expect(document.webhooks.tokenEvent.post.description).toContain("Standard Webhooks");
    expect(document.components.schemas.WebhookPayload.properties.type.enum).toContain("token.leaked");
  });

  it("in the console too (the data layer the pages and actions call): another organization's admin finds nothing, a rep is refused", async () => {
    const { id } = await createEndpoint();
    const codeOf = (promise: Promise<unknown>) =>
      promise.then(
        () => "ok",
        (error: unknown) => (error instanceof DomainError ? error.code : String(error)),
      );
    const everything = (actor: ReturnType<typeof actorFor>) => [
      codeOf(getWebhookEndpoint(actor, id)),
      codeOf(updateWebhookEndpoint(actor, id, { url: "https://evil.example.com/" })),
      codeOf(rotateWebhookEndpointSecret(actor, id)),
      codeOf(sendTestEvent(actor, id)),
      codeOf(listWebhookDeliveries(actor, id)),
      codeOf(deleteWebhookEndpoint(actor, id)),
    ];
    expect(await Promise.all(everything(actorFor(other.admin)))).toEqual(Array(6).fill("not_found"));
    expect(await Promise.all(everything(actorFor(org.repOne)))).toEqual(Array(6).fill("forbidden"));
    expect(await codeOf(listWebhookEndpoints(actorFor(org.repOne)))).toBe("forbidden");
    expect((await listWebhookEndpoints(actorFor(other.admin))).map((endpoint) => endpoint.id)).not.toContain(id);
    expect((await getWebhookEndpoint(actorFor(org.admin), id)).url).toBe("https://hooks.example.com/tessera");
  });
});
