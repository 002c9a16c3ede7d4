import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db";
import { webhookDeliveries } from "@/db/schema";
import type { DeliveredEventType, WebhookEvent } from "./events";

// Writes webhook deliveries in the transaction of the change they report (the outbox pattern):
// a change that rolls back leaves no delivery, and one that commits always has its deliveries.
// Each is one INSERT … SELECT over the organization's active endpoints that subscribe to the
// event, with the payload built from the token's row in the same statement: an organization
// without endpoints costs that one statement and writes nothing.
//
// Payload (Standard Webhooks' suggested shape): { type, timestamp, data: { token, organization,
// actor, reason, … } }. The token is described as GET /api/v1/tokens/{id} does (snake_case, no
// value and no hash: only the hint), plus its owner and application; it is kept small.

/** NOTIFY channel: deliveries were queued (payload: the organization's id). */
export const WEBHOOKS_CHANNEL = "tessera_webhooks";

/** ISO 8601 in UTC with milliseconds, as JavaScript's toISOString writes it. */
const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const tokenJson = sql`jsonb_build_object(
  'id', t.id,
  'description', t.description,
  'account_sid', t.account_sid,
  'hint', t.hint,
  'owner', jsonb_build_object('id', u.id, 'username', u.username),
  'application', jsonb_build_object('id', a.id, 'slug', a.slug),
  'permissions', to_jsonb(t.permissions),
  'active', t.active,
  'expires_at', ${iso(sql`t.expires_at`)},
  'revoked_at', ${iso(sql`t.revoked_at`)},
  'revoke_reason', t.revoke_reason,
  'rotated_from_id', t.rotated_from_id,
  'created_at', ${iso(sql`t.created_at`)},
  'updated_at', ${iso(sql`t.updated_at`)}
)`;

export type TokenEventInput = {
  organizationId: string;
  event: WebhookEvent;
  tokenIds: readonly string[];
  occurredAt: Date;
  /** Who made the change: a console user, or an API token acting for its owner; null for Tessera itself. */
  actor: { userId: string | null; tokenId: string | null } | null;
  /** Extra fields of `data`, e.g. reason, changed_fields (never a secret). */
  extra?: Record<string, unknown>;
};

/** One delivery per (token, subscribed active endpoint) of the organization. */
export async function enqueueTokenEvent(executor: Executor, input: TokenEventInput): Promise<void> {
  if (input.tokenIds.length === 0) return;
  const actorUserId = input.actor?.userId ?? null;
  const actorTokenId = input.actor?.tokenId ?? null;
  const actor =
    input.actor === null
      ? sql`'null'::jsonb`
      : sql`jsonb_build_object(
          'user_id', ${actorUserId}::uuid,
          'username', (select au.username from users au where au.organization_id = e.organization_id and au.id = ${actorUserId}::uuid),
          'token_id', ${actorTokenId}::uuid)`;
  const ids = sql.join(
    input.tokenIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  // The NOTIFY (only when something was queued) reaches listeners at commit, never on rollback:
  // lib/webhooks/kick.ts then sends at once instead of at the next jobs pass.
  await executor.execute(sql`
    with queued as (
    insert into webhook_deliveries (organization_id, endpoint_id, event_type, payload)
    select e.organization_id, e.id, ${input.event}, jsonb_build_object(
      'type', ${input.event}::text,
      'timestamp', ${input.occurredAt.toISOString()}::text,
      'data', jsonb_build_object(
        'token', ${tokenJson},
        'organization', jsonb_build_object('id', o.id, 'slug', o.slug),
        'actor', ${actor}
      ) || ${JSON.stringify(input.extra ?? {})}::jsonb
    )
    from webhook_endpoints e
    join organizations o on o.id = e.organization_id
    join personal_access_tokens t on t.organization_id = e.organization_id and t.id in (${ids})
    join users u on u.organization_id = t.organization_id and u.id = t.user_id
    left join applications a on a.organization_id = t.organization_id and a.id = t.application_id
    where e.organization_id = ${input.organizationId}::uuid and e.active and ${input.event} = any(e.events)
    order by t.id, e.id
    returning organization_id
    )
    select pg_notify(${WEBHOOKS_CHANNEL}, organization_id::text) from queued limit 1
  `);
}

/** The test event ("Send test event"), to one endpoint whatever it subscribes to; returns the delivery's id. */
export async function enqueueTestEvent(
  executor: Executor,
  endpoint: { organizationId: string; id: string },
  organizationSlug: string,
  now: Date,
): Promise<string> {
  const type: DeliveredEventType = "webhook.test";
  const payload = {
    type,
    timestamp: now.toISOString(),
    data: {
      message: "A test event from Tessera: this endpoint receives and verifies deliveries.",
      organization: { slug: organizationSlug },
    },
  };
  const [row] = await executor
    .insert(webhookDeliveries)
    .values({
      organizationId: endpoint.organizationId,
      endpointId: endpoint.id,
      eventType: type,
      payload,
      createdAt: now,
      nextAttemptAt: now,
    })
    .returning({ id: webhookDeliveries.id });
  if (!row) throw new Error("webhook test delivery insert returned no row");
  return row.id;
}
