import { getEnv } from "@/lib/env";
import { deliverPendingNotifications, type DeliveryResult } from "@/lib/notifications/delivery";
import { enqueueExpiryNotices } from "@/lib/notifications/expiry";
import { smtpTransport, type MailTransport } from "@/lib/notifications/smtp";
import { pruneCeremonies } from "@/lib/auth/passkeys";
import { pruneSessions } from "@/lib/auth/session-store";
import { enforceIdleTokenPolicy, pruneTokenUsage } from "@/lib/tokens/idle";
import { deliverPendingWebhooks, type WebhookDeliveryResult } from "@/lib/webhooks/delivery";
import { pruneWebhookDeliveries } from "@/lib/webhooks/prune";

export type JobsPassResult = { queued: number; delivery: DeliveryResult | null; webhooks: WebhookDeliveryResult };

type PassOptions = {
  /** The clock expiry notices are computed against (tests and `--now` drive it forward). */
  now?: Date;
  /** Overrides the SMTP transport from SMTP_URL; null keeps mail in the outbox. */
  transport?: MailTransport | null;
  /** Limits the pass to one organization (support, and tests that share a database). */
  organizationId?: string;
};

/**
 * One pass of the background jobs: prune old sessions, usage rows and webhook deliveries, queue due expiry notices,
 * tell and then revoke tokens unused beyond the policy, send due webhook deliveries (whatever
 * the mail configuration), then deliver due mail when an SMTP server is configured (without one,
 * mail stays in the outbox for admins to read).
 */
export async function runJobsPass(options: PassOptions = {}): Promise<JobsPassResult> {
  const env = getEnv();
  const only = { organizationId: options.organizationId };
  // On the real clock, like delivery: a simulated --now must not end real sessions early.
  await pruneSessions(new Date(), only);
  // Ceremonies that ran out are nobody's: pruned whichever organization the pass is for.
  await pruneCeremonies(new Date());
  await pruneTokenUsage(new Date(), only);
  await pruneWebhookDeliveries(new Date(), only);
  const queued = await enqueueExpiryNotices(options.now ?? new Date(), only);
  // On the real clock: a simulated --now must not revoke tokens (or mark them told) early.
  await enforceIdleTokenPolicy(new Date(), only);
  // Like mail, on the real clock: leases and backoff must mean real time.
  const webhooks = await deliverPendingWebhooks(new Date(), only);
  const transport = options.transport !== undefined ? options.transport : env.smtpUrl ? smtpTransport(env.smtpUrl, env.mailFrom) : null;
  if (!transport) return { queued, delivery: null, webhooks };
  try {
    // Delivery runs on the real clock: leases and backoff must mean real time.
    return { queued, delivery: await deliverPendingNotifications(transport.send, new Date(), only), webhooks };
  } finally {
    if (options.transport === undefined) transport.close();
  }
}
