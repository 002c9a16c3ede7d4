import { z } from "zod";
import { SCOPE_ID_MAX } from "@/lib/applications/scope-id";
import { ACCOUNT_SID_PATTERN } from "@/lib/tokens/account-sid";
import { normalizeCidr, RESTRICTION_LIMITS } from "@/lib/tokens/restrictions";
import { TOKEN_STATES } from "@/lib/tokens/state";
import { LAST_STORABLE_INSTANT, noNul } from "./text";
import { pageQuery } from "@/lib/shared/keyset-cursor";

import { isSearchable, SEARCH_TOO_SHORT, TOKEN_LIMITS } from "./token-limits";

export { isSearchable, SEARCH_TOO_SHORT, TOKEN_LIMITS };

// One base schema per entity (STYLE rule 3); create and update derive from it.
export const tokenSchema = z.object({
  userId: z.uuid({ error: "Choose a service rep." }),
  applicationId: z.uuid({ error: "Choose an application." }),
  description: z
    .string({ error: "Enter a description." })
    .trim()
    .min(1, { error: "Enter a description." })
    .max(TOKEN_LIMITS.description, { error: `Use at most ${TOKEN_LIMITS.description} characters.` })
    .refine(...noNul),
  accountSid: z
    .string()
    .trim()
    .toLowerCase()
    .regex(ACCOUNT_SID_PATTERN, { error: "Use 32 hexadecimal characters (0–9, a–f), or leave it blank to generate one." }),
  // Any strings here: which exist is the chosen application's catalog's to say (lib/applications/grant.ts).
  permissions: z
    .array(
      z
        .string()
        .max(SCOPE_ID_MAX, { error: "Unknown permission." })
        .refine(...noNul),
      { error: "Choose at least one permission." },
    )
    .max(500, { error: "Choose at most 500 permissions." })
    .transform((list) => [...new Set(list)])
    .pipe(z.array(z.string()).min(1, { error: "Choose at least one permission." })),
  // undefined: the organization's default; null: no expiration.
  expiresAt: z.date({ error: "Enter a valid date." }).max(LAST_STORABLE_INSTANT, { error: "Use a date before the year 10000." }).nullable(),
  revokeReason: z
    .string()
    .trim()
    .max(TOKEN_LIMITS.revokeReason, { error: `Use at most ${TOKEN_LIMITS.revokeReason} characters.` })
    .refine(...noNul),
  // Restrictions (SPEC §12). An empty list or null: from any address, at any rate, at once.
  allowedCidrs: z
    .array(z.string(), { error: "List IP addresses or CIDR ranges." })
    .max(RESTRICTION_LIMITS.allowedCidrs, { error: `Enter at most ${RESTRICTION_LIMITS.allowedCidrs} addresses or ranges.` })
    .superRefine((lines, context) => {
      const bad = lines.filter((line) => normalizeCidr(line) === null);
      if (bad.length > 0) {
        const shown = bad.slice(0, 3).map((line) => `“${line.slice(0, RESTRICTION_LIMITS.cidrLength)}”`);
        context.addIssue({
          code: "custom",
          message: `${shown.join(", ")}${bad.length > 3 ? ` and ${bad.length - 3} more` : ""} ${bad.length === 1 ? "is not an IP address or CIDR range" : "are not IP addresses or CIDR ranges"}, e.g. 203.0.113.7 or 2001:db8::/32.`,
        });
      }
    })
    .transform((lines) => [...new Set(lines.map((line) => normalizeCidr(line) ?? ""))])
    .nullable(),
  rateLimitPerMinute: z
    .int({ error: "Enter a whole number of requests per minute, or leave it empty for no limit." })
    .min(1, { error: "Allow at least 1 request per minute, or leave it empty for no limit." })
    .nullable(),
  validFrom: z
    .date({ error: "Enter a valid date and time." })
    .min(new Date("1970-01-01T00:00:00Z"), { error: "Use a date after 1970." })
    .max(LAST_STORABLE_INSTANT, { error: "Use a date before the year 10000." })
    .nullable(),
});

const restrictionFields = { allowedCidrs: true, rateLimitPerMinute: true, validFrom: true } as const;

export const createTokenSchema = tokenSchema.pick({ description: true, permissions: true }).extend({
  userId: tokenSchema.shape.userId.optional(),
  // Optional for API clients written before applications: the one live application holding
  // every requested permission, preferring the built-in Tessera API.
  applicationId: tokenSchema.shape.applicationId.optional(),
  accountSid: tokenSchema.shape.accountSid.optional(),
  expiresAt: tokenSchema.shape.expiresAt.optional(),
  ...tokenSchema.pick(restrictionFields).partial().shape,
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

export const updateTokenSchema = tokenSchema
  .pick({ description: true, permissions: true, expiresAt: true, ...restrictionFields })
  .extend({ active: z.boolean() })
  .partial();
export type UpdateTokenInput = z.input<typeof updateTokenSchema>;

export const TOKEN_SORTS = ["created_desc", "created_asc", "description_asc", "expires_asc", "last_used_desc"] as const;
export type TokenSort = (typeof TOKEN_SORTS)[number];

export const tokenListQuerySchema = z.object({
  userId: z.uuid().optional().catch(undefined),
  applicationId: z.uuid().optional().catch(undefined),
  state: z.enum(TOKEN_STATES).optional().catch(undefined),
  search: z
    .string()
    .trim()
    .max(TOKEN_LIMITS.search)
    .refine(...noNul)
    .refine(isSearchable, SEARCH_TOO_SHORT)
    .optional()
    .catch(undefined),
  // Only working tokens that break the organization's current policy.
  outsidePolicy: z.boolean().optional().catch(undefined),
  sort: z.enum(TOKEN_SORTS).default("created_desc").catch("created_desc"),
  ...pageQuery,
});
export type TokenListQuery = z.input<typeof tokenListQuerySchema>;
