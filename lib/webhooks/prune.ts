import { and, eq, isNotNull, lt, or } from "drizzle-orm";
import { getDb } from "@/db";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { addDays } from "@/lib/shared/time";

/** Finished deliveries (delivered, or given up) are kept this long for the log, then pruned. */
export const WEBHOOK_LOG_RETENTION_DAYS = 30;

/**
 * Deletes finished deliveries older than the retention (their attempts cascade), endpoint by
 * endpoint, so each delete walks the (organization, endpoint, created_at) index. Pending ones are
 * never pruned. `only` limits it to one organization. Returns how many were deleted.
 */
export async function pruneWebhookDeliveries(now = new Date(), only: { organizationId?: string } = {}): Promise<number> {
  const db = await getDb();
  const endpoints = await db
    .select({ organizationId: webhookEndpoints.organizationId, id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(only.organizationId ? eq(webhookEndpoints.organizationId, only.organizationId) : undefined);
  const cutoff = addDays(now, -WEBHOOK_LOG_RETENTION_DAYS);
  let pruned = 0;
  for (const endpoint of endpoints) {
    const deleted = await db
      .delete(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.organizationId, endpoint.organizationId),
          eq(webhookDeliveries.endpointId, endpoint.id),
          lt(webhookDeliveries.createdAt, cutoff),
          or(isNotNull(webhookDeliveries.deliveredAt), isNotNull(webhookDeliveries.failedAt)),
        ),
      )
      .returning({ id: webhookDeliveries.id });
    pruned += deleted.length;
  }
  return pruned;
}
