// @module-tag database
// The receiver listens on 127.0.0.1, which only WEBHOOK_ALLOW_PRIVATE lets Tessera reach.
process.env.WEBHOOK_ALLOW_PRIVATE = "true";

import { and, asc, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { webhookPayload } from "@/lib/api/webhook-schemas";
import { auditEvents, personalAccessTokens, webhookAttempts, webhookDeliveries, webhookSecrets } from "@/db/schema";
import { recordChange } from "@/lib/audit/record";
import { runJobsPass } from "@/lib/jobs/run-pass";
import { enqueueExpiryNotices } from "@/lib/notifications/expiry";
import { addDays } from "@/lib/shared/time";
import { revokeReportedCredentials } from "@/lib/tokens/leak";
import { regenerateToken } from "@/lib/tokens/regenerate";
import { revokeToken } from "@/lib/tokens/revoke";
import { setTokenActive, updateToken } from "@/lib/tokens/update";
import { deliverPendingWebhooks, MAX_WEBHOOK_ATTEMPTS } from "@/lib/webhooks/delivery";
import { resendWebhookDelivery, sendTestEvent } from "@/lib/webhooks/deliveries";
import { createWebhookEndpoint, rotateWebhookEndpointSecret, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENTS, type WebhookEvent } from "@/lib/webhooks/events";
import { pruneWebhookDeliveries, WEBHOOK_LOG_RETENTION_DAYS } from "@/lib/webhooks/prune";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";
import { startWebhookReceiver, type ReceivedWebhook } from "../../fixtures/webhook-receiver";

type Org = Awaited<ReturnType<typeof createTestOrganization>>;
type Receiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

const MINUTE_MS = 60_000;

async function setUp(events: WebhookEvent[] = [...WEBHOOK_EVENTS]) {
  const org = await createTestOrganization();
  const admin = actorFor(org.admin);
  const { endpoint, secret } = await createWebhookEndpoint(admin, { url: receiver.url, description: "Receiver", events });
  return { org, admin, endpoint, secret };
}

async function deliveriesOf(org: Org) {
  const db = await getDb();
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.organizationId, org.organization.id))
    .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.eventType));
}

const deliverAll = (org: Org, now = new Date()) => deliverPendingWebhooks(now, { organizationId: org.organization.id });
const receivedFor = (deliveryId: string) => receiver.received.filter((request) => request.headers["webhook-id"] === deliveryId);

function verify(request: ReceivedWebhook, secret: string) {
  return new Webhook(secret).verify(request.body, {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  });
}

describe("webhook deliveries (SPEC §12)", () => {
  it("a created token is POSTed to the endpoint, signed per Standard Webhooks, and verifies with the endpoint's secret", async () => {
    const { org, admin, secret } = await setUp();
    const { token, value } = await createTestToken(admin, { description: "Payroll sync" });
    const [delivery] = await deliveriesOf(org);
    expect(delivery).toMatchObject({ eventType: "token.created", attempts: 0, deliveredAt: null });
    if (!delivery) throw new Error("no delivery");

    expect(await runJobsPass({ organizationId: org.organization.id, transport: null })).toMatchObject({
      webhooks: { delivered: 1, failed: 0 },
    });
    const [request] = receivedFor(delivery.id);
    if (!request) throw new Error("the receiver got nothing");
    expect(request.method).toBe("POST");
    expect(request.headers["content-type"]).toBe("application/json");
    const payload = webhookPayload.parse(verify(request, secret));
    expect(payload.type).toBe("token.created");
    expect(payload.data).toMatchObject({
      token: {
        id: token.id,
        description: "Payroll sync",
        account_sid: token.accountSid,
        hint: token.hint,
        owner: { id: org.admin.id, username: "admin" },
        active: true,
        revoked_at: null,
      },
      organization: { id: org.organization.id, slug: org.organization.slug },
      actor: { user_id: org.admin.id, username: "admin", token_id: null },
    });
    // Never the value, its hash or the signing secret.
    expect(request.body).not.toContain(value);
    expect(request.body).not.toContain(secret);
    expect(request.body).not.toMatch(/secret_hash|secretHash/);
    const [stored] = await deliveriesOf(org);
    expect(stored).toMatchObject({ lastStatus: 200, lastError: null, attempts: 1 });
    expect(stored?.deliveredAt).not.toBeNull();
  });

  it("every token change maps to its event: updated, rotated, revoked, leaked", async () => {
    const { org, admin } = await setUp();
    const { token } = await createTestToken(admin);
    await updateToken(admin, token.id, { description: "Renamed" });
    await setTokenActive(admin, token.id, false);
    const rotated = await regenerateToken(admin, token.id);
    await revokeToken(admin, rotated.token.id, "No longer needed");
    const { token: leaked, value } = await createTestToken(admin);
    await revokeReportedCredentials([value], { ip: "198.51.100.7", userAgent: "scanner" });

    const deliveries = await deliveriesOf(org);
    // Each matches the payload the API reference documents.
    for (const delivery of deliveries) webhookPayload.parse(delivery.payload);
    expect(deliveries.map((delivery) => [delivery.eventType, (delivery.payload.data as { token: { id: string } }).token.id])).toEqual([
      ["token.created", token.id],
      ["token.updated", token.id],
      ["token.updated", token.id],
      ["token.rotated", rotated.token.id],
      ["token.revoked", rotated.token.id],
      ["token.created", leaked.id],
      ["token.leaked", leaked.id],
    ]);
    const revoked = deliveries[4]?.payload.data as Record<string, unknown>;
    expect(revoked).toMatchObject({ reason: "No longer needed", token: { revoke_reason: "No longer needed" } });
    expect(deliveries[1]?.payload.data).toMatchObject({ changed_fields: ["description"] });
    expect(deliveries[6]?.payload.data).toMatchObject({ reason: "Reported leaked", actor: null });
  });

  it("only subscribed events of active endpoints are queued; a disabled endpoint gets nothing", async () => {
    const { org, admin, endpoint } = await setUp(["token.revoked"]);
    const { token } = await createTestToken(admin);
    expect(await deliveriesOf(org)).toEqual([]);
    await updateWebhookEndpoint(admin, endpoint.id, { active: false });
    await revokeToken(admin, token.id);
    expect(await deliveriesOf(org)).toEqual([]);
  });

  it("deliveries are written in the change's transaction: a change that rolls back leaves none", async () => {
    const { org, admin } = await setUp();
    const { token } = await createTestToken(admin);
    const before = (await deliveriesOf(org)).length;
    const db = await getDb();
    let seenInside = 0;
    await expect(
      db.transaction(async (tx) => {
        await tx.update(personalAccessTokens).set({ revokedAt: new Date() }).where(eq(personalAccessTokens.id, token.id));
        await recordChange(tx, admin, "token.revoked", { type: "token", id: token.id, userId: token.userId }, { reason: "x" });
        seenInside = (await tx.select().from(webhookDeliveries).where(eq(webhookDeliveries.organizationId, org.organization.id))).length;
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(seenInside).toBe(before + 1);
    expect(await deliveriesOf(org)).toHaveLength(before);
  });

  it("after a secret rotation both secrets sign for 24 hours, and each verifies on its own", async () => {
    const { org, admin, endpoint, secret: oldSecret } = await setUp();
    const rotated = await rotateWebhookEndpointSecret(admin, endpoint.id);
    expect(rotated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(rotated.secret).not.toBe(oldSecret);
    expect(new Date(rotated.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(23.9 * 60 * MINUTE_MS);
    const test = await sendTestEvent(admin, endpoint.id);
    expect(test).toMatchObject({ eventType: "webhook.test", status: "delivered", lastStatus: 200 });
    const [request] = receivedFor(test.id);
    if (!request) throw new Error("the receiver got nothing");
    expect(String(request.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verify(request, oldSecret)).toMatchObject({ type: "webhook.test" });
    expect(verify(request, rotated.secret)).toMatchObject({ type: "webhook.test" });
    expect(() => verify(request, "whsec_" + Buffer.alloc(32, 1).toString("base64"))).toThrow();

    // Secrets rest encrypted and never reach the audit log.
    const db = await getDb();
    const stored = await db.select().from(webhookSecrets).where(eq(webhookSecrets.endpointId, endpoint.id));
    expect(stored).toHaveLength(2);
    for (const row of stored) {
      expect(row.encryptedSecret).not.toContain(oldSecret.slice(6, 30));
      expect(row.encryptedSecret).not.toContain(rotated.secret.slice(6, 30));
    }
    const audited = await db.select().from(auditEvents).where(eq(auditEvents.organizationId, org.organization.id));
    expect(audited.map((event) => event.action)).toEqual(expect.arrayContaining(["webhook.created", "webhook.secret_rotated"]));
    expect(JSON.stringify(audited)).not.toContain("whsec_");
  });

  it("a 500 is retried with backoff and then delivered; each attempt is logged", async () => {
    const { org, admin } = await setUp(["token.created"]);
    receiver.statuses.push(500);
    await createTestToken(admin);
    const start = new Date();
    expect(await deliverAll(org, start)).toEqual({ delivered: 0, failed: 1 });
    const [failed] = await deliveriesOf(org);
    expect(failed).toMatchObject({ attempts: 1, lastStatus: 500, deliveredAt: null, failedAt: null });
    const wait = (failed?.nextAttemptAt.getTime() ?? 0) - start.getTime();
    expect(wait).toBeGreaterThanOrEqual(MINUTE_MS - 1000);
    expect(wait).toBeLessThan(2 * MINUTE_MS);
    // Not due yet.
    expect(await deliverAll(org, start)).toEqual({ delivered: 0, failed: 0 });
    expect(await deliverAll(org, new Date(start.getTime() + 2 * MINUTE_MS))).toEqual({ delivered: 1, failed: 0 });
    const db = await getDb();
    const attempts = await db
      .select()
      .from(webhookAttempts)
      .where(and(eq(webhookAttempts.organizationId, org.organization.id), eq(webhookAttempts.deliveryId, failed?.id ?? "")))
      .orderBy(asc(webhookAttempts.attemptedAt));
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
    expect(attempts[0]?.error).toBe("HTTP 500");
  });

  it(`gives up after ${MAX_WEBHOOK_ATTEMPTS} attempts; redirects are not followed`, async () => {
    const { org, admin } = await setUp(["token.created"]);
    receiver.statuses.push(302, ...Array.from({ length: MAX_WEBHOOK_ATTEMPTS - 1 }, () => 503));
    await createTestToken(admin);
    const countBefore = receiver.received.length;
    for (let attempt = 0; attempt < MAX_WEBHOOK_ATTEMPTS + 2; attempt += 1) await deliverAll(org, addDays(new Date(), attempt + 1));
    const [delivery] = await deliveriesOf(org);
    expect(delivery).toMatchObject({ attempts: MAX_WEBHOOK_ATTEMPTS, lastStatus: 503, deliveredAt: null });
    expect(delivery?.failedAt).not.toBeNull();
    // One request per attempt: the 302 pointed at the metadata service and was not followed.
    expect(receiver.received.length - countBefore).toBe(MAX_WEBHOOK_ATTEMPTS);

    // "Resend": one new attempt now, with the same webhook-id; another organization cannot.
    const id = delivery?.id ?? "";
    const other = await createTestOrganization();
    await expect(resendWebhookDelivery(actorFor(other.admin), delivery?.endpointId ?? "", id)).rejects.toThrow("not found");
    const resent = await resendWebhookDelivery(admin, delivery?.endpointId ?? "", id);
    expect(resent).toMatchObject({ id, status: "delivered", attempts: 1, lastStatus: 200 });
    expect(receivedFor(id)).toHaveLength(MAX_WEBHOOK_ATTEMPTS + 1);
  });

  it("a delivery still being retried cannot be resent", async () => {
    const { org, admin, endpoint } = await setUp(["token.created"]);
    await createTestToken(admin);
    const [pending] = await deliveriesOf(org);
    await expect(resendWebhookDelivery(admin, endpoint.id, pending?.id ?? "")).rejects.toThrow("still being retried");
  });

  it("expiring and expired tokens are sent once each, with the expiry notices", async () => {
    const { org, admin } = await setUp(["token.expiring", "token.expired"]);
    const start = new Date();
    const { token } = await createTestToken(admin, { expiresAt: addDays(start, 10) }, start);
    const pass = (now: Date) => enqueueExpiryNotices(now, { organizationId: org.organization.id });
    await pass(addDays(start, 3.5));
    await pass(addDays(start, 4));
    await pass(addDays(start, 10.5));
    await pass(addDays(start, 11));
    const deliveries = await deliveriesOf(org);
    expect(deliveries.map((delivery) => [delivery.eventType, (delivery.payload.data as { token: { id: string } }).token.id])).toEqual([
      ["token.expiring", token.id],
      ["token.expired", token.id],
    ]);
  });

  it(`finished deliveries are pruned after ${WEBHOOK_LOG_RETENTION_DAYS} days; pending ones never`, async () => {
    const { org, admin } = await setUp(["token.created"]);
    await createTestToken(admin);
    await deliverAll(org);
    await createTestToken(admin);
    const only = { organizationId: org.organization.id };
    expect(await pruneWebhookDeliveries(addDays(new Date(), WEBHOOK_LOG_RETENTION_DAYS - 1), only)).toBe(0);
    expect(await pruneWebhookDeliveries(addDays(new Date(), WEBHOOK_LOG_RETENTION_DAYS + 1), only)).toBe(1);
    expect((await deliveriesOf(org)).map((delivery) => delivery.deliveredAt)).toEqual([null]);
  });
});
