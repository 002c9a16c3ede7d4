// The receivers listen on 127.0.0.1, which only WEBHOOK_ALLOW_PRIVATE lets Tessera reach.
process.env.WEBHOOK_ALLOW_PRIVATE = "true";

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { webhookDeliveries } from "@/db/schema";
import { deliverPendingWebhooks } from "@/lib/webhooks/delivery";
import { resendWebhookDelivery, sendTestEvent } from "@/lib/webhooks/deliveries";
import { createWebhookEndpoint, rotateWebhookEndpointSecret } from "@/lib/webhooks/endpoints";
import { liveWebhookSecrets } from "@/lib/webhooks/secrets";
import { guardedLookup } from "@/lib/webhooks/send";
import { isPublicAddress, webhookUrlProblem } from "@/lib/webhooks/target";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken, domainErrorOf } from "../../fixtures/tokens";

// Attacks found in review of the webhooks (SPEC §12), each kept as a test.

// A slow receiver (it answers after 1.5 s), counting the POSTs of each delivery.
const posts = new Map<string, number>();
const slow = createServer((request, response) => {
  const id = String(request.headers["webhook-id"]);
  posts.set(id, (posts.get(id) ?? 0) + 1);
  request.resume();
  setTimeout(() => response.end("ok"), 1500);
});
let url = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => slow.close(() => resolve())));

describe("delivery workers", () => {
  it("a second worker (another instance, a later pass) never claims a delivery the first is still sending", async () => {
    const org = await createTestOrganization();
    const admin = actorFor(org.admin);
    await createWebhookEndpoint(admin, { url, events: ["token.created"] });
    for (let i = 0; i < 5; i += 1) await createTestToken(admin, { description: `lease ${i}` });
    const start = new Date(Date.now() + 1000);
    const first = deliverPendingWebhooks(start, { organizationId: org.organization.id });
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Its clock a minute past the first's: the old 60-second lease, counted from the pass's start, had run out.
    const second = deliverPendingWebhooks(new Date(start.getTime() + 61_000), { organizationId: org.organization.id });
    const [a, b] = await Promise.all([first, second]);
    expect(a.delivered + b.delivered).toBe(5);
    const db = await getDb();
    const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.organizationId, org.organization.id));
    expect(rows.map((row) => posts.get(row.id))).toEqual([1, 1, 1, 1, 1]);
    expect(rows.map((row) => row.attempts)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe("test events and resends", () => {
  it("are limited to 10 a minute per endpoint", async () => {
    const org = await createTestOrganization();
    const admin = actorFor(org.admin);
    const { endpoint } = await createWebhookEndpoint(admin, { url, events: ["token.created"] });
    const sent = await Promise.all(Array.from({ length: 9 }, () => sendTestEvent(admin, endpoint.id)));
    const first = sent[0];
    if (!first) throw new Error("no test event");
    await resendWebhookDelivery(admin, endpoint.id, first.id);
    const refused = await domainErrorOf(sendTestEvent(admin, endpoint.id));
    expect(refused.code).toBe("rate_limited");
    expect((await domainErrorOf(resendWebhookDelivery(admin, endpoint.id, first.id))).code).toBe("rate_limited");
    const db = await getDb();
    const queued = await db
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.organizationId, org.organization.id), eq(webhookDeliveries.endpointId, endpoint.id)));
    expect(queued).toHaveLength(9);
  });
});

describe("targets", () => {
  const strict = { allowPrivate: false };

  it("refuses IPv4-compatible IPv6 (::/96), which embeds an IPv4 address", () => {
    expect(isPublicAddress("::7f00:1")).toBe(false);
    expect(isPublicAddress("::a9fe:a9fe")).toBe(false);
    expect(webhookUrlProblem("https://[::127.0.0.1]/hook", strict)).not.toBeNull();
    expect(isPublicAddress("2606:4700::1111")).toBe(true);
  });

  it("refuses local names whatever trailing dots they carry", () => {
    for (const host of ["localhost..", "127.0.0.1..", "foo.localhost...", "localhost."]) {
      expect(webhookUrlProblem(`https://${host}/hook`, strict), host).not.toBeNull();
    }
  });

  it("a refused resolution does not say which address the name resolved to", async () => {
    const error = await new Promise<Error | null>((resolve) =>
      guardedLookup(strict)("localhost", { all: true }, (failure) => resolve(failure)),
    );
    expect(error?.message).toBe("localhost resolves to a non-public address");
  });
});

describe("secret rotation", () => {
  it("keeps at most two secrets live: rotating again ends the previous one at once", async () => {
    const org = await createTestOrganization();
    const admin = actorFor(org.admin);
    const { endpoint } = await createWebhookEndpoint(admin, { url, events: ["token.created"] });
    const key = { organizationId: org.organization.id, id: endpoint.id };
    const db = await getDb();
    for (let i = 0; i < 5; i += 1) await rotateWebhookEndpointSecret(admin, endpoint.id);
    const { secret } = await rotateWebhookEndpointSecret(admin, endpoint.id);
    const live = await liveWebhookSecrets(db, key, new Date());
    expect(live).toHaveLength(2);
    expect(live[0]).toBe(secret);
  });
});
