import { randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNotNull, isNull, or } from "drizzle-orm";
import type { Executor } from "@/db";
import { webhookSecrets } from "@/db/schema";
import { decryptPrivateKey, encryptPrivateKey } from "@/lib/oauth/key-encryption";
import { derivedKey } from "@/lib/shared/derived-key";
import { DAY_MS } from "@/lib/shared/time";

// Signing secrets of webhook endpoints, in the Standard Webhooks form `whsec_<base64>`. Tessera must
// read them back to sign, so unlike token values they are stored encrypted (AES-256-GCM under a key
// derived from AUTH_SECRET for this use alone, bound to the row's id), and shown in full only once:
// when the endpoint is created, and when the secret is rotated.

const ENCRYPTION_LABEL = "tessera/webhook-secrets/aes-256-gcm/v1";
const SECRET_BYTES = 32;
/** After a rotation the previous secret keeps signing this long, so receivers can switch over. */
export const PREVIOUS_SECRET_VALID_MS = DAY_MS;

const associatedData = (secretId: string) => `webhook-secret:${secretId}`;

type EndpointKey = { organizationId: string; id: string };
const ofEndpoint = (endpoint: EndpointKey) =>
  and(eq(webhookSecrets.organizationId, endpoint.organizationId), eq(webhookSecrets.endpointId, endpoint.id));

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(SECRET_BYTES).toString("base64")}`;
}

/** Stores a new secret for the endpoint (in the caller's transaction); returns its value, once. */
export async function addWebhookSecret(tx: Executor, endpoint: EndpointKey, now: Date): Promise<string> {
  const value = generateWebhookSecret();
  const id = randomUUID();
  await tx.insert(webhookSecrets).values({
    id,
    organizationId: endpoint.organizationId,
    endpointId: endpoint.id,
    encryptedSecret: encryptPrivateKey(value, derivedKey(ENCRYPTION_LABEL), associatedData(id)),
    createdAt: now,
  });
  return value;
}

/**
 * Rotation: the current secret expires in 24 hours, a new one signs from now on, and any older
 * secret (expired, or still in an earlier rotation's 24 hours) is dropped at once — at most two
 * are ever live, and rotating twice ends a suspect previous secret now. Deliveries meanwhile carry
 * a signature by each live secret.
 */
export async function rotateWebhookSecret(tx: Executor, endpoint: EndpointKey, now: Date): Promise<string> {
  await tx.delete(webhookSecrets).where(and(ofEndpoint(endpoint), isNotNull(webhookSecrets.expiresAt)));
  await tx
    .update(webhookSecrets)
    .set({ expiresAt: new Date(now.getTime() + PREVIOUS_SECRET_VALID_MS) })
    .where(and(ofEndpoint(endpoint), isNull(webhookSecrets.expiresAt)));
  return addWebhookSecret(tx, endpoint, now);
}

/** The endpoint's live secrets, newest first: what a delivery is signed with. */
export async function liveWebhookSecrets(executor: Executor, endpoint: EndpointKey, now: Date): Promise<string[]> {
  const rows = await executor
    .select({ id: webhookSecrets.id, encryptedSecret: webhookSecrets.encryptedSecret })
    .from(webhookSecrets)
    .where(and(ofEndpoint(endpoint), or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, now))))
    .orderBy(desc(webhookSecrets.createdAt), desc(webhookSecrets.id));
  return rows.map((row) => decryptPrivateKey(row.encryptedSecret, derivedKey(ENCRYPTION_LABEL), associatedData(row.id)));
}

/** When the previous secret stops signing, if a rotation is in progress. */
export async function previousSecretExpiresAt(executor: Executor, endpoint: EndpointKey, now: Date): Promise<Date | null> {
  const [row] = await executor
    .select({ expiresAt: webhookSecrets.expiresAt })
    .from(webhookSecrets)
    .where(and(ofEndpoint(endpoint), gt(webhookSecrets.expiresAt, now)))
    .orderBy(desc(webhookSecrets.expiresAt))
    .limit(1);
  return row?.expiresAt ?? null;
}
