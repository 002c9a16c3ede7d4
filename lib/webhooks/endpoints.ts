import { and, count, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Transaction } from "@/db";
import { organizations, webhookEndpoints, type WebhookEndpoint } from "@/db/schema";
import type { Actor } from "@/lib/auth/actor";
import { recordChange, type AuditTarget, type Change } from "@/lib/audit/record";
import { conflict, invalid, notFound } from "@/lib/shared/errors";
import { isUuid } from "@/lib/shared/ids";
import {
  createWebhookEndpointSchema,
  updateWebhookEndpointSchema,
  WEBHOOK_LIMITS,
  type CreateWebhookEndpointInput,
  type UpdateWebhookEndpointInput,
} from "@/lib/validation/webhook";
import { authorizeWebhooks } from "./access";
import { addWebhookSecret, previousSecretExpiresAt, rotateWebhookSecret } from "./secrets";

// Webhook endpoints of an organization (SPEC §12): every query is scoped by the actor's
// organization, so another organization's endpoint answers exactly like a missing one.

export type WebhookEndpointView = {
  id: string;
  url: string;
  description: string;
  events: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** While a rotation is in progress: when the previous secret stops signing. */
  previousSecretExpiresAt: string | null;
};

const NOT_FOUND = "Webhook endpoint";

export const webhookTarget = (endpoint: Pick<WebhookEndpoint, "id">): AuditTarget => ({ type: "webhook", id: endpoint.id });

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(z.flattenError(parsed.error).fieldErrors);
  return parsed.data;
}

const toView = (endpoint: WebhookEndpoint, previousExpiresAt: Date | null = null): WebhookEndpointView => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.events,
  active: endpoint.active,
  createdAt: endpoint.createdAt.toISOString(),
  updatedAt: endpoint.updatedAt.toISOString(),
  previousSecretExpiresAt: previousExpiresAt?.toISOString() ?? null,
});

const ofOrganization = (actor: Actor, id: string) =>
  and(eq(webhookEndpoints.organizationId, actor.organizationId), eq(webhookEndpoints.id, id));

/** One endpoint of the actor's organization, locked for a change; another organization's is "not found". */
async function lockEndpoint(tx: Transaction, actor: Actor, id: string): Promise<WebhookEndpoint> {
  if (!isUuid(id)) throw notFound(NOT_FOUND);
  const [endpoint] = await tx.select().from(webhookEndpoints).where(ofOrganization(actor, id)).for("update");
  if (!endpoint) throw notFound(NOT_FOUND);
  return endpoint;
}

/** The organization's endpoints, newest first (at most WEBHOOK_LIMITS.endpointsPerOrganization). */
export async function listWebhookEndpoints(actor: Actor): Promise<WebhookEndpointView[]> {
  authorizeWebhooks(actor);
  const db = await getDb();
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.organizationId, actor.organizationId))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return rows.map((row) => toView(row));
}

export async function getWebhookEndpoint(actor: Actor, id: string, now = new Date()): Promise<WebhookEndpointView> {
  authorizeWebhooks(actor);
  if (!isUuid(id)) throw notFound(NOT_FOUND);
  const db = await getDb();
  const [endpoint] = await db.select().from(webhookEndpoints).where(ofOrganization(actor, id));
  if (!endpoint) throw notFound(NOT_FOUND);
  return toView(endpoint, await previousSecretExpiresAt(db, endpoint, now));
}

export type CreatedWebhookEndpoint = { endpoint: WebhookEndpointView; secret: string };

/** Adds an endpoint with its first signing secret, audited; the secret is returned this once. */
export async function createWebhookEndpoint(
  actor: Actor,
  input: CreateWebhookEndpointInput,
  now = new Date(),
): Promise<CreatedWebhookEndpoint> {
  authorizeWebhooks(actor);
  const data = parse(createWebhookEndpointSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    // Concurrent creates serialize on the organization, so the count below holds the limit.
    await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, actor.organizationId)).for("update");
    const [existing] = await tx
      .select({ n: count() })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.organizationId, actor.organizationId));
    if ((existing?.n ?? 0) >= WEBHOOK_LIMITS.endpointsPerOrganization) {
      throw conflict(`Your organization already has ${WEBHOOK_LIMITS.endpointsPerOrganization} webhook endpoints: delete one first.`);
    }
    const [endpoint] = await tx
      .insert(webhookEndpoints)
      .values({
        organizationId: actor.organizationId,
        url: data.url,
        description: data.description ?? "",
        events: data.events,
        active: data.active ?? true,
        createdById: actor.userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!endpoint) throw new Error("webhook endpoint insert returned no row");
    const secret = await addWebhookSecret(tx, endpoint, now);
    await recordChange(tx, actor, "webhook.created", webhookTarget(endpoint), {
      url: endpoint.url,
      description: endpoint.description,
      events: endpoint.events,
      active: endpoint.active,
    });
    return { endpoint: toView(endpoint), secret };
  });
}

const FIELDS = ["url", "description", "events", "active"] as const;

/** Changes an endpoint's URL, description, events or on/off switch; audited with what changed. */
export async function updateWebhookEndpoint(
  actor: Actor,
  id: string,
  input: UpdateWebhookEndpointInput,
  now = new Date(),
): Promise<WebhookEndpointView> {
  authorizeWebhooks(actor);
  const data = parse(updateWebhookEndpointSchema, input);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const current = await lockEndpoint(tx, actor, id);
    const changes: Record<string, Change> = {};
    for (const field of FIELDS) {
      const to = data[field];
      if (to !== undefined && JSON.stringify(to) !== JSON.stringify(current[field])) changes[field] = { from: current[field], to };
    }
    if (Object.keys(changes).length === 0) return toView(current, await previousSecretExpiresAt(tx, current, now));
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({ ...data, updatedAt: now })
      .where(ofOrganization(actor, current.id))
      .returning();
    if (!updated) throw new Error("webhook endpoint update returned no row");
    await recordChange(tx, actor, "webhook.updated", webhookTarget(updated), { changes });
    return toView(updated, await previousSecretExpiresAt(tx, updated, now));
  });
}

/** Deletes an endpoint with its secrets and delivery log, audited. */
export async function deleteWebhookEndpoint(actor: Actor, id: string): Promise<void> {
  authorizeWebhooks(actor);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const endpoint = await lockEndpoint(tx, actor, id);
    await tx.delete(webhookEndpoints).where(ofOrganization(actor, endpoint.id));
    await recordChange(tx, actor, "webhook.deleted", webhookTarget(endpoint), { url: endpoint.url, events: endpoint.events });
  });
}

export type RotatedWebhookSecret = { secret: string; previousSecretExpiresAt: string };

/** A new signing secret (returned once); the previous one keeps signing for 24 hours. Audited, never with a secret. */
export async function rotateWebhookEndpointSecret(actor: Actor, id: string, now = new Date()): Promise<RotatedWebhookSecret> {
  authorizeWebhooks(actor);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const endpoint = await lockEndpoint(tx, actor, id);
    const secret = await rotateWebhookSecret(tx, endpoint, now);
    const previous = (await previousSecretExpiresAt(tx, endpoint, now)) ?? now;
    await recordChange(tx, actor, "webhook.secret_rotated", webhookTarget(endpoint), {
      previousSecretExpiresAt: previous.toISOString(),
    });
    return { secret, previousSecretExpiresAt: previous.toISOString() };
  });
}
