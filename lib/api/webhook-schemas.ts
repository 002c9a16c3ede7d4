import { z } from "zod";
import type { WebhookDeliveryView } from "@/lib/webhooks/deliveries";
import type { WebhookEndpointView } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import { PAGE_LIMITS } from "@/lib/shared/keyset-cursor";

// The wire format of /api/v1/webhooks (snake_case), shaping every response and request.
const timestamp = z.iso.datetime({ offset: true });
const events = z.array(z.enum(WEBHOOK_EVENTS)).meta({ description: "The events the endpoint receives." });

export const webhookEndpointOutput = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events,
    active: z.boolean().meta({ description: "A disabled endpoint receives nothing; its pending deliveries wait." }),
    created_at: timestamp,
    updated_at: timestamp,
    previous_secret_expires_at: timestamp
      .nullable()
      .meta({ description: "After a secret rotation, the previous secret also signs until then (24 hours)." }),
  })
  .meta({ id: "WebhookEndpoint" });

export const webhookEndpointListOutput = z.object({ data: z.array(webhookEndpointOutput) }).meta({ id: "WebhookEndpointList" });

export const createdWebhookEndpointOutput = webhookEndpointOutput
  .extend({
    secret: z.string().meta({ description: "The signing secret (`whsec_…`), in this response only; store it now." }),
  })
  .meta({ id: "CreatedWebhookEndpoint" });

export const rotatedWebhookSecretOutput = z
  .object({
    secret: z.string().meta({ description: "The new signing secret, in this response only." }),
    previous_secret_expires_at: timestamp.meta({ description: "Until then deliveries carry a signature by each secret." }),
  })
  .meta({ id: "RotatedWebhookSecret" });

export function toWebhookEndpointOutput(endpoint: WebhookEndpointView): z.infer<typeof webhookEndpointOutput> {
  return webhookEndpointOutput.parse({
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    active: endpoint.active,
    created_at: endpoint.createdAt,
    updated_at: endpoint.updatedAt,
    previous_secret_expires_at: endpoint.previousSecretExpiresAt,
  });
}

const endpointFields = {
  url: z.string().meta({ description: "https:// and a public host; at most 2,000 characters, no user name or password." }),
  description: z.string().optional(),
  events: events.min(1),
  active: z.boolean().optional(),
};

export const createWebhookBody = z.object(endpointFields).strict().meta({ id: "CreateWebhookEndpointRequest" });

export const updateWebhookBody = z
  .object({ ...endpointFields, url: endpointFields.url.optional(), events: endpointFields.events.optional() })
  .strict()
  .meta({ id: "UpdateWebhookEndpointRequest" });

export const webhookDeliveryOutput = z
  .object({
    id: z.uuid().meta({ description: "The `webhook-id` header of every attempt." }),
    event_type: z.string(),
    status: z.enum(["pending", "delivered", "failed"]).meta({ description: "failed: gave up after the last retry." }),
    attempts: z.number().int(),
    last_status: z.number().int().nullable().meta({ description: "The HTTP status of the last attempt; null if it got no response." }),
    last_error: z.string().nullable(),
    created_at: timestamp,
    delivered_at: timestamp.nullable(),
    failed_at: timestamp.nullable(),
    next_attempt_at: timestamp.nullable(),
  })
  .meta({ id: "WebhookDelivery" });

export const webhookDeliveryListOutput = z
  .object({ data: z.array(webhookDeliveryOutput), next_cursor: z.string().nullable() })
  .meta({ id: "WebhookDeliveryList" });

export const webhookDeliveryListQuery = z.object({
  cursor: z.string().max(PAGE_LIMITS.cursorLength).optional(),
  limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.maxSize).optional(),
});

export function toWebhookDeliveryOutput(delivery: WebhookDeliveryView): z.infer<typeof webhookDeliveryOutput> {
  return {
    id: delivery.id,
    event_type: delivery.eventType,
    status: delivery.status,
    attempts: delivery.attempts,
    last_status: delivery.lastStatus,
    last_error: delivery.lastError,
    created_at: delivery.createdAt,
    delivered_at: delivery.deliveredAt,
    failed_at: delivery.failedAt,
    next_attempt_at: delivery.nextAttemptAt,
  };
}

// What Tessera POSTs to an endpoint (documented under the OpenAPI document's `webhooks`; the
// delivery tests parse real deliveries with it, so it cannot drift from lib/webhooks/enqueue.ts).
const webhookTokenPayload = z
  .object({
    id: z.uuid(),
    description: z.string(),
    account_sid: z.string(),
    hint: z.string().meta({ description: "Prefix and last four characters of the value; never the value." }),
    owner: z.object({ id: z.uuid(), username: z.string() }).strict(),
    application: z.object({ id: z.uuid(), slug: z.string() }).strict(),
    permissions: z.array(z.string()),
    active: z.boolean(),
    expires_at: timestamp.nullable(),
    revoked_at: timestamp.nullable(),
    revoke_reason: z.string().nullable(),
    rotated_from_id: z.uuid().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .strict();

export const webhookPayload = z
  .object({
    type: z.enum([...WEBHOOK_EVENTS, "webhook.test"]),
    timestamp,
    data: z
      .object({
        token: webhookTokenPayload.optional(),
        organization: z.object({ id: z.uuid().optional(), slug: z.string() }).strict(),
        actor: z
          .object({ user_id: z.uuid().nullable(), username: z.string().nullable(), token_id: z.uuid().nullable() })
          .strict()
          .nullable()
          .optional()
          .meta({ description: "Who made the change; null for Tessera itself (expiry, leak reports, unused tokens)." }),
        reason: z.string().optional(),
        changed_fields: z.array(z.string()).optional().meta({ description: "token.updated: the names of the fields that changed." }),
        rotated_from_id: z.uuid().optional().meta({ description: "token.rotated: the token the new one replaced." }),
        message: z.string().optional().meta({ description: "webhook.test only." }),
      })
      .strict(),
  })
  .strict()
  .meta({ id: "WebhookPayload" });
