// @module-tag database
// The receiver listens on 127.0.0.1, which only WEBHOOK_ALLOW_PRIVATE lets Tessera reach.
process.env.WEBHOOK_ALLOW_PRIVATE = "true";

import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { personalAccessTokens, webhookDeliveries } from "@/db/schema";
import { recordChange } from "@/lib/audit/record";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { startWebhookListener } from "@/lib/webhooks/kick";
import { actorFor } from "../../fixtures/actors";
import { createTestOrganization } from "../../fixtures/organizations";
import { createTestToken } from "../../fixtures/tokens";
import { startWebhookReceiver } from "../../fixtures/webhook-receiver";

// With the server's listener running (lib/server/startup.ts), a delivery goes out as soon as its
// change commits, not at the next jobs pass; a change that rolls back sends nothing.

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
  await startWebhookListener();
});
afterAll(() => receiver.close());

describe("webhooks are sent right after the change commits", () => {
  it("a created token reaches the receiver without a jobs pass; a rolled-back revocation never does", async () => {
    const org = await createTestOrganization();
    const admin = actorFor(org.admin);
    await createWebhookEndpoint(admin, { url: receiver.url, events: ["token.created", "token.revoked"] });
    const { token } = await createTestToken(admin);
    await expect
      .poll(() => receiver.received.map((request) => JSON.parse(request.body).type), { timeout: 10_000 })
      .toEqual(["token.created"]);
    const db = await getDb();
    const [delivery] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.organizationId, org.organization.id));
    await expect
      .poll(
        async () =>
          (
            await db
              .select()
              .from(webhookDeliveries)
              .where(eq(webhookDeliveries.id, delivery?.id ?? ""))
          )[0]?.deliveredAt,
      )
      .not.toBeNull();

    await expect(
      db.transaction(async (tx) => {
        await tx.update(personalAccessTokens).set({ revokedAt: new Date() }).where(eq(personalAccessTokens.id, token.id));
        await recordChange(tx, admin, "token.revoked", { type: "token", id: token.id, userId: token.userId }, {});
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received).toHaveLength(1);
  });
});
