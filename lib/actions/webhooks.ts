"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runConsoleChange } from "@/lib/actions/console-action";
import { fieldOf, idField, switchField } from "@/lib/actions/form-fields";
import { MALFORMED_REQUEST, succeeded, type FormState } from "@/lib/actions/form-state";
import { resendWebhookDelivery, sendTestEvent, type WebhookDeliveryView } from "@/lib/webhooks/deliveries";
import { isWebhookEvent } from "@/lib/webhooks/events";
import { createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookEndpointSecret, updateWebhookEndpoint } from "@/lib/webhooks/endpoints";

// The console's webhook changes (SPEC §12): thin shells over lib/webhooks, which checks that the
// actor is an admin of the endpoint's organization; runConsoleChange re-reads who is calling and
// requires a recent password confirmation, as for every other admin change.

/** A signing secret, shown once: after adding an endpoint, or rotating its secret. */
export interface WebhookSecretFormState extends FormState {
  secret?: string;
  endpointId?: string;
}

// Generous bounds for what a person types; lib/validation/webhook.ts holds the real limits.
const typed = z.string().max(10_000).optional();
// The console offers only known events: anything else is a direct POST, refused as malformed.
const endpointFields = z.object({ url: typed, description: typed, events: z.array(z.string().refine(isWebhookEvent)).max(50) });

const valuesOf = (formData: FormData) => ({
  url: String(formData.get("url") ?? ""),
  description: String(formData.get("description") ?? ""),
  events: formData.getAll("events").map(String).join(" "),
});

const fieldsOf = (formData: FormData) => ({
  url: fieldOf(formData, "url"),
  description: fieldOf(formData, "description"),
  events: formData.getAll("events"),
});

function refreshWebhookPages() {
  revalidatePath("/[org]/admin/webhooks", "layout");
}

/** Adds an endpoint; its signing secret comes back once. */
export async function createWebhookEndpointAction(_previous: WebhookSecretFormState, formData: FormData): Promise<WebhookSecretFormState> {
  const fields = endpointFields.safeParse(fieldsOf(formData));
  if (!fields.success) return MALFORMED_REQUEST;
  const { url, description, events } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) => createWebhookEndpoint(actor, { url: url ?? "", description, events }));
  if (!outcome.ok) return { ...outcome.state, values: valuesOf(formData) };
  refreshWebhookPages();
  return { ...succeeded("Endpoint added."), secret: outcome.result.secret, endpointId: outcome.result.endpoint.id };
}

const updateFields = endpointFields.extend({ id: idField });

/** Saves an endpoint's URL, description and events. */
export async function updateWebhookEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = updateFields.safeParse({ ...fieldsOf(formData), id: fieldOf(formData, "id") });
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, url, description, events } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) =>
    updateWebhookEndpoint(actor, id, { url: url ?? "", description: description ?? "", events }),
  );
  if (!outcome.ok) return { ...outcome.state, values: valuesOf(formData) };
  refreshWebhookPages();
  return succeeded("Endpoint saved.");
}

const activeFields = z.object({ id: idField, active: switchField });

/** Enables or disables an endpoint; a disabled one receives nothing, and its pending deliveries wait. */
export async function setWebhookEndpointActiveAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = activeFields.safeParse({ id: fieldOf(formData, "id"), active: fieldOf(formData, "active") });
  if (!fields.success) return MALFORMED_REQUEST;
  const { id, active } = fields.data;
  const outcome = await runConsoleChange(formData, (actor) => updateWebhookEndpoint(actor, id, { active }));
  if (!outcome.ok) return outcome.state;
  refreshWebhookPages();
  return succeeded(active ? "Endpoint enabled." : "Endpoint disabled: it receives nothing until you enable it again.");
}

/** Deletes an endpoint with its secrets and delivery log. */
export async function deleteWebhookEndpointAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => deleteWebhookEndpoint(actor, id.data));
  if (!outcome.ok) return outcome.state;
  refreshWebhookPages();
  return succeeded("Endpoint deleted.");
}

/** A new signing secret, shown once; the previous one keeps signing for 24 hours. */
export async function rotateWebhookSecretAction(_previous: WebhookSecretFormState, formData: FormData): Promise<WebhookSecretFormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => rotateWebhookEndpointSecret(actor, id.data));
  if (!outcome.ok) return outcome.state;
  refreshWebhookPages();
  return {
    ...succeeded("Secret rotated. The previous secret keeps working for 24 hours: until then deliveries carry both signatures."),
    secret: outcome.result.secret,
    endpointId: id.data,
  };
}

/** Sends a webhook.test event now and says how its first attempt went. */
export async function sendTestEventAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const id = idField.safeParse(fieldOf(formData, "id"));
  if (!id.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => sendTestEvent(actor, id.data));
  if (!outcome.ok) return outcome.state;
  refreshWebhookPages();
  return attemptOutcome(outcome.result, "Test event delivered", "The test event was not delivered");
}

const resendFields = z.object({ id: idField, deliveryId: idField });

/** Sends a delivered or failed delivery again now. */
export async function resendWebhookDeliveryAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = resendFields.safeParse({ id: fieldOf(formData, "id"), deliveryId: fieldOf(formData, "deliveryId") });
  if (!fields.success) return MALFORMED_REQUEST;
  const outcome = await runConsoleChange(formData, (actor) => resendWebhookDelivery(actor, fields.data.id, fields.data.deliveryId));
  if (!outcome.ok) return outcome.state;
  refreshWebhookPages();
  return attemptOutcome(outcome.result, "Resent: delivered", "Resent, but not delivered");
}

/** How a delivery's first attempt went, in words. */
function attemptOutcome(delivery: WebhookDeliveryView, delivered: string, failed: string): FormState {
  if (delivery.status === "delivered") return succeeded(`${delivered} (HTTP ${delivery.lastStatus}).`);
  const why = delivery.lastStatus !== null ? `HTTP ${delivery.lastStatus}` : (delivery.lastError ?? "no response");
  return { ok: false, message: `${failed}: ${why}. It will be retried.`, fieldErrors: {} };
}
