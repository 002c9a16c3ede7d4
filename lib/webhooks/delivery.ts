import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { getDb } from "@/db";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, type WebhookDelivery } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { retryDelayMs } from "@/lib/notifications/delivery";
import { liveWebhookSecrets } from "./secrets";
import { postWebhook, SEND_TIMEOUT_MS, type SendOutcome } from "./send";
import type { TargetPolicy } from "./target";

// Sends due webhook deliveries from the outbox, like mail (lib/notifications/delivery.ts): rows are
// claimed with FOR UPDATE SKIP LOCKED and leased in a short transaction, then POSTed outside it, so
// several workers (instances) never send the same delivery at once and no transaction stays open
// during HTTP. At-least-once: a worker that dies mid-send leaves the delivery to be retried after
// its lease; receivers dedupe on webhook-id (the delivery's id, the same on every attempt).

/** Attempts before a delivery is given up (failedAt): 1 min, 2, 4 … 64 min between them, about 2 hours in all. */
export const MAX_WEBHOOK_ATTEMPTS = 8;
const BATCH_SIZE = 20;
// A batch is sent concurrently, each POST within SEND_TIMEOUT_MS: the lease outlasts the whole
// batch with room to spare, so no other worker claims a row this one is still sending.
const LEASE_MS = SEND_TIMEOUT_MS * 3 + 60_000;
const MAX_BATCHES_PER_PASS = 10;

export type WebhookDeliveryResult = { delivered: number; failed: number };

type Options = { organizationId?: string; deliveryId?: string; policy?: TargetPolicy };

/**
 * One pass over due deliveries of every organization (the jobs pass), or of one (`organizationId`),
 * or just one delivery (`deliveryId`: "Send test event" waits for its own). A disabled endpoint's
 * deliveries wait until it is enabled again.
 */
export async function deliverPendingWebhooks(now = new Date(), options: Options = {}): Promise<WebhookDeliveryResult> {
  const policy = options.policy ?? { allowPrivate: getEnv().webhookAllowPrivate };
  const result: WebhookDeliveryResult = { delivered: 0, failed: 0 };
  for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch += 1) {
    const claimed = await claimDue(now, options);
    // Concurrently: one slow receiver (a tar pit) holds a batch up for one timeout, not twenty.
    for (const delivered of await Promise.all(claimed.map((delivery) => deliverOne(delivery, policy)))) {
      if (delivered) result.delivered += 1;
      else result.failed += 1;
    }
    if (claimed.length < BATCH_SIZE || options.deliveryId) break;
  }
  return result;
}

type Claimed = WebhookDelivery & { url: string };

async function claimDue(now: Date, options: Options): Promise<Claimed[]> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: webhookDeliveries.id, url: webhookEndpoints.url })
      .from(webhookDeliveries)
      .innerJoin(
        webhookEndpoints,
        and(eq(webhookEndpoints.organizationId, webhookDeliveries.organizationId), eq(webhookEndpoints.id, webhookDeliveries.endpointId)),
      )
      .where(
        and(
          isNull(webhookDeliveries.deliveredAt),
          isNull(webhookDeliveries.failedAt),
          lte(webhookDeliveries.nextAttemptAt, now),
          eq(webhookEndpoints.active, true),
          options.organizationId ? eq(webhookDeliveries.organizationId, options.organizationId) : undefined,
          options.deliveryId ? eq(webhookDeliveries.id, options.deliveryId) : undefined,
        ),
      )
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(BATCH_SIZE)
      .for("update", { of: webhookDeliveries, skipLocked: true });
    if (due.length === 0) return [];
    const urls = new Map(due.map((row) => [row.id, row.url]));
    const leased = await tx
      .update(webhookDeliveries)
      // From the real clock (a pass's `now` may be long past, or simulated ahead by tests and --now).
      .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: new Date(Math.max(now.getTime(), Date.now()) + LEASE_MS) })
      .where(inArray(webhookDeliveries.id, [...urls.keys()]))
      .returning();
    return leased.map((row) => ({ ...row, url: urls.get(row.id) ?? "" }));
  });
}

/** The Standard Webhooks headers: one `v1,<signature>` per live secret, space-separated, during a rotation. */
export function signedHeaders(id: string, body: string, secrets: readonly string[], at: Date): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, at, body));
  return {
    "content-type": "application/json",
    "user-agent": "Tessera-Webhooks/1.0",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": signatures.join(" "),
  };
}

async function deliverOne(delivery: Claimed, policy: TargetPolicy): Promise<boolean> {
  const db = await getDb();
  // The real clock: the timestamp receivers check against theirs, and real backoff.
  const at = new Date();
  let outcome: SendOutcome;
  try {
    const secrets = await liveWebhookSecrets(db, { organizationId: delivery.organizationId, id: delivery.endpointId }, at);
    if (secrets.length === 0) throw new Error("the endpoint has no signing secret");
    const body = JSON.stringify(delivery.payload);
    outcome = await postWebhook(delivery.url, body, signedHeaders(delivery.id, body, secrets, at), policy);
  } catch (error) {
    outcome = { status: null, error: error instanceof Error ? error.message.slice(0, 200) : "signing failed", durationMs: 0 };
  }
  const delivered = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
  const done = new Date();
  await db.transaction(async (tx) => {
    const gaveUp = !delivered && delivery.attempts >= MAX_WEBHOOK_ATTEMPTS;
    const [still] = await tx
      .update(webhookDeliveries)
      .set({
        lastStatus: outcome.status,
        lastError: delivered ? null : (outcome.error ?? `HTTP ${outcome.status}`),
        deliveredAt: delivered ? done : null,
        failedAt: gaveUp ? done : null,
        nextAttemptAt: delivered || gaveUp ? done : new Date(done.getTime() + retryDelayMs(delivery.attempts)),
      })
      .where(
        and(
          eq(webhookDeliveries.organizationId, delivery.organizationId),
          eq(webhookDeliveries.id, delivery.id),
          // Still this worker's claim: a result never overwrites another claim's, or a delivery's success.
          eq(webhookDeliveries.attempts, delivery.attempts),
          isNull(webhookDeliveries.deliveredAt),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    // The endpoint (and so the delivery) was deleted, or another worker holds it now: nothing to log.
    if (!still) return;
    await tx.insert(webhookAttempts).values({
      organizationId: delivery.organizationId,
      deliveryId: delivery.id,
      attemptedAt: at,
      status: outcome.status,
      error: outcome.error ?? (delivered ? null : `HTTP ${outcome.status}`),
      durationMs: outcome.durationMs,
    });
  });
  return delivered;
}
