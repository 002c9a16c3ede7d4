import { z } from "zod";
import { getEnv } from "@/lib/env";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/events";
import { WEBHOOK_URL_MAX_LENGTH, webhookUrlProblem } from "@/lib/webhooks/target";
import { noNul } from "./text";

export const WEBHOOK_LIMITS = { description: 200, url: WEBHOOK_URL_MAX_LENGTH, endpointsPerOrganization: 20 } as const;

// https only and a public host, unless WEBHOOK_ALLOW_PRIVATE (lib/webhooks/target.ts says why).
const webhookUrl = z
  .string({ error: "Enter the endpoint's URL." })
  .trim()
  .min(1, { error: "Enter the endpoint's URL." })
  .superRefine((value, context) => {
    const problem = webhookUrlProblem(value, { allowPrivate: getEnv().webhookAllowPrivate });
    if (problem) context.addIssue({ code: "custom", message: problem });
  });

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `Each event must be one of ${WEBHOOK_EVENTS.join(", ")}.` }))
  .min(1, { error: "Choose at least one event." })
  .max(WEBHOOK_EVENTS.length)
  .transform((chosen) => WEBHOOK_EVENTS.filter((event) => chosen.includes(event)));

// One base schema per entity (STYLE rule 3).
export const webhookEndpointSchema = z.object({
  url: webhookUrl,
  description: z
    .string()
    .trim()
    .max(WEBHOOK_LIMITS.description, { error: `Use at most ${WEBHOOK_LIMITS.description} characters.` })
    .refine(...noNul),
  events,
  active: z.boolean(),
});

export const createWebhookEndpointSchema = webhookEndpointSchema.partial({ description: true, active: true });
export const updateWebhookEndpointSchema = webhookEndpointSchema.partial();
export type CreateWebhookEndpointInput = z.input<typeof createWebhookEndpointSchema>;
export type UpdateWebhookEndpointInput = z.input<typeof updateWebhookEndpointSchema>;
