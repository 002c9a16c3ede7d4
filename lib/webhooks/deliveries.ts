import { and, desc, eq, isNotNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { organizations, webhookDeliveries, type WebhookDelivery } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { conflict, notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import { decodeTimeCursor, encodeTimeCursor, pageQuery } from "@/lib/shared/keyset-cursor";
import { authorizeWebhooks } from "./access";
import { countManualSend } from "./manual-send-limit";
import { deliverPendingWebhooks } from "./delivery";
import { enqueueTestEvent } from "./enqueue";
import { getWebhookEndpoint } from "./endpoints";

// An endpoint's delivery log, and "Send test event".

export const DELIVERY_STATUSES = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export type WebhookDeliveryView = {
  id: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  failedAt: string | null;
  /** When the next attempt is due, while pending. */
  nextAttemptAt: string | null;
};

export const deliveryPageQuery = z.object(pageQuery);

const statusOf = (row: WebhookDelivery): WebhookDeliveryStatus => (row.deliveredAt ? "delivered" : row.failedAt ? "failed" : "pending");

export const toDeliveryView = (row: WebhookDelivery): WebhookDeliveryView => ({
  id: row.id,
  eventType: row.eventType,
  status: statusOf(row),
  attempts: row.attempts,
  lastStatus: row.lastStatus,
  lastError: row.lastError,
  createdAt: row.createdAt.toISOString(),
  deliveredAt: row.deliveredAt?.toISOString() ?? null,
  failedAt: row.failedAt?.toISOString() ?? null,
  nextAttemptAt: statusOf(row) === "pending" ? row.nextAttemptAt.toISOString() : null,
});

/** An endpoint's deliveries, newest first, by keyset; another organization's endpoint is "not found". */
export async function listWebhookDeliveries(actor: Actor, endpointId: string, query: z.input<typeof deliveryPageQuery> = {}) {
  const endpoint = await getWebhookEndpoint(actor, endpointId);
  const { cursor, limit } = deliveryPageQuery.parse(query);
  const after = decodeTimeCursor(cursor);
  const db = await getDb();
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.organizationId, actor.organizationId),
        eq(webhookDeliveries.endpointId, endpoint.id),
        after
          ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit + 1);
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return {
    endpoint,
    deliveries: visible.map(toDeliveryView),
    nextCursor: rows.length > limit && last ? encodeTimeCursor(last.createdAt, last.id) : null,
  };
}

/**
 * Queues a `webhook.test` delivery to the endpoint and makes its first attempt at once, so the
 * person who asked sees the outcome; retries, if it failed, follow the usual schedule.
 */
export async function sendTestEvent(actor: Actor, endpointId: string, now = new Date()): Promise<WebhookDeliveryView> {
  authorizeWebhooks(actor);
  const endpoint = await getWebhookEndpoint(actor, endpointId);
  if (!endpoint.active) throw conflict("This endpoint is disabled: enable it to send it events.");
  await countManualSend(endpoint.id);
  const db = await getDb();
  const [organization] = await db
    .select({ slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, actor.organizationId));
  const deliveryId = await enqueueTestEvent(db, { organizationId: actor.organizationId, id: endpoint.id }, organization?.slug ?? "", now);
  await deliverPendingWebhooks(now, { organizationId: actor.organizationId, deliveryId });
  const [row] = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.organizationId, actor.organizationId), eq(webhookDeliveries.id, deliveryId)));
  if (!row) throw new Error("the test delivery vanished");
  return toDeliveryView(row);
}

/**
 * Sends a delivered or failed delivery again now ("Resend", like GitHub's "Redeliver"): the same
 * webhook-id, so a receiver that already handled it can tell; a failure is retried on the usual
 * schedule from the start. The earlier attempts stay in the log.
 */
export async function resendWebhookDelivery(
  actor: Actor,
  endpointId: string,
  deliveryId: string,
  now = new Date(),
): Promise<WebhookDeliveryView> {
  authorizeWebhooks(actor);
  const endpoint = await getWebhookEndpoint(actor, endpointId);
  if (!isUuid(deliveryId)) throw notFound("Delivery");
  if (!endpoint.active) throw conflict("This endpoint is disabled: enable it to send it events.");
  await countManualSend(endpoint.id);
  const db = await getDb();
  const ofDelivery = and(
    eq(webhookDeliveries.organizationId, actor.organizationId),
    eq(webhookDeliveries.endpointId, endpoint.id),
    eq(webhookDeliveries.id, deliveryId),
  );
  const [reset] = await db
    .update(webhookDeliveries)
    .set({ attempts: 0, deliveredAt: null, failedAt: null, nextAttemptAt: now })
    .where(and(ofDelivery, or(isNotNull(webhookDeliveries.deliveredAt), isNotNull(webhookDeliveries.failedAt))))
    .returning({ id: webhookDeliveries.id });
  if (!reset) {
    const [exists] = await db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(ofDelivery);
    throw exists ? conflict("This delivery is still being retried.") : notFound("Delivery");
  }
  await deliverPendingWebhooks(now, { organizationId: actor.organizationId, deliveryId });
  const [row] = await db.select().from(webhookDeliveries).where(ofDelivery);
  if (!row) throw notFound("Delivery");
  return toDeliveryView(row);
}
