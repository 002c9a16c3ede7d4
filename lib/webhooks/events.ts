// The events an organization's webhook endpoints can subscribe to (SPEC §12), and which audit
// actions produce them. `webhook.test` is sent only by "Send test event", to one endpoint.

export const WEBHOOK_EVENTS = [
  "token.created",
  "token.updated",
  "token.revoked",
  "token.rotated",
  "token.expiring",
  "token.expired",
  "token.reused",
  "token.leaked",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const TEST_EVENT = "webhook.test";
export type DeliveredEventType = WebhookEvent | typeof TEST_EVENT;

export const WEBHOOK_EVENT_LABELS: Record<WebhookEvent, string> = {
  "token.created": "Token created",
  "token.updated": "Token updated",
  "token.revoked": "Token revoked",
  "token.rotated": "Token rotated",
  "token.expiring": "Token expiring",
  "token.expired": "Token expired",
  "token.reused": "Token reused",
  "token.leaked": "Token leaked",
};

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<WebhookEvent, string> = {
  "token.created": "A token was created.",
  "token.updated": "A token's description, permissions or expiration changed, or it was switched on or off.",
  "token.revoked": "A token was revoked (by a person, through the API, or for being unused).",
  "token.rotated": "A token was regenerated: a new value replaced the old one.",
  "token.expiring": "A token reached one of the organization's expiry notice thresholds.",
  "token.expired": "A token's expiration passed.",
  "token.reused": "A rotated-out value was used after its grace period.",
  "token.leaked": "A token was reported leaked (revoked) or found by secret scanning (deactivated).",
};

const eventSet: ReadonlySet<string> = new Set(WEBHOOK_EVENTS);
export const isWebhookEvent = (value: string): value is WebhookEvent => eventSet.has(value);

/**
 * The webhook event an audited token change is, or null for actions no endpoint hears about
 * (deletion, exchanges, sign-ins …). A revocation of a reported leak, and a deactivation by secret
 * scanning, are `token.leaked`: what a receiver acts on differs from an ordinary revocation.
 */
export function webhookEventForAudit(action: string, details: Record<string, unknown> | undefined): WebhookEvent | null {
  switch (action) {
    case "token.created":
      return "token.created";
    case "token.updated":
    case "token.activated":
      return "token.updated";
    case "token.deactivated":
      return details?.secretScanning ? "token.leaked" : "token.updated";
    case "token.revoked":
      return details?.reportedLeaked === true ? "token.leaked" : "token.revoked";
    case "token.regenerated":
      return "token.rotated";
    case "token.reused":
      return "token.reused";
    default:
      return null;
  }
}
