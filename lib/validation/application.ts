import { z } from "zod";
import { normalizeAudience } from "@/lib/applications/audience";
import { scopeIdProblem } from "@/lib/applications/scope-id";
import { noNul } from "./text";

export const APPLICATION_LIMITS = {
  name: 100,
  description: 500,
  url: 2000,
  scopeDescription: 500,
  group: 50,
  scopes: 500,
  presets: 50,
  presetName: 100,
} as const;

const text = (max: number, required: string) =>
  z
    .string({ error: required })
    .trim()
    .min(1, { error: required })
    .max(max, { error: `Use at most ${max} characters.` })
    .refine(...noNul);

// A URL people open (docs): https only, so a catalog can never hold a javascript: link.
const httpsUrl = z
  .string()
  .trim()
  .max(APPLICATION_LIMITS.url, { error: `Use at most ${APPLICATION_LIMITS.url} characters.` })
  .refine((value) => URL.canParse(value) && new URL(value).protocol === "https:", { error: "Enter an https:// URL." });

// RFC 7519's `aud` is a StringOrURI; Tessera takes an absolute URI (https:// or urn:), as
// resource servers compare it verbatim.
const audience = z
  .string({ error: "Enter the audience URI." })
  .trim()
  .min(1, { error: "Enter the audience URI." })
  .max(APPLICATION_LIMITS.url)
  .refine((value) => /^(https:\/\/[^\s]+|urn:[a-z0-9][a-z0-9-]{0,31}:[^\s]+)$/i.test(value) && URL.canParse(value), {
    error: "Enter an https:// or urn: URI, like https://api.example.com.",
  })
  .transform(normalizeAudience);

export const scopeIdSchema = z.string({ error: "Enter a scope id." }).superRefine((value, context) => {
  const problem = scopeIdProblem(value);
  if (problem) context.addIssue({ code: "custom", message: problem });
});

// One base schema per entity (STYLE rule 3).
export const scopeSchema = z.object({
  id: scopeIdSchema,
  description: text(APPLICATION_LIMITS.scopeDescription, "Enter a description."),
  group: text(APPLICATION_LIMITS.group, "Enter a group.").optional(),
  docsUrl: httpsUrl.nullable().optional(),
  adminOnly: z.boolean().optional(),
  deprecated: z.boolean().optional(),
});
export type ScopeInput = z.input<typeof scopeSchema>;

export const presetSchema = z.object({
  name: text(APPLICATION_LIMITS.presetName, "Enter a preset name."),
  scopes: z.array(scopeIdSchema).min(1, { error: "Choose at least one scope." }).max(APPLICATION_LIMITS.scopes),
});

const uniqueBy =
  <T>(key: (item: T) => string, what: string) =>
  (items: T[], context: z.RefinementCtx) => {
    const seen = new Set<string>();
    for (const item of items) {
      const value = key(item);
      if (seen.has(value)) context.addIssue({ code: "custom", message: `Duplicate ${what}: ${value}.` });
      seen.add(value);
    }
  };

export const applicationSchema = z.object({
  name: text(APPLICATION_LIMITS.name, "Enter a name."),
  description: z
    .string()
    .trim()
    .max(APPLICATION_LIMITS.description)
    .refine(...noNul),
  audience,
  docsUrl: httpsUrl.nullable(),
  scopes: z
    .array(scopeSchema)
    .max(APPLICATION_LIMITS.scopes, { error: `An application has at most ${APPLICATION_LIMITS.scopes} scopes.` })
    .superRefine(uniqueBy((scope) => scope.id, "scope id")),
  presets: z
    .array(presetSchema)
    .max(APPLICATION_LIMITS.presets)
    .superRefine(uniqueBy((preset) => preset.name, "preset name")),
});

export const createApplicationSchema = applicationSchema.extend({
  description: applicationSchema.shape.description.optional(),
  docsUrl: applicationSchema.shape.docsUrl.optional(),
  scopes: applicationSchema.shape.scopes.optional(),
  presets: applicationSchema.shape.presets.optional(),
});
export type CreateApplicationInput = z.input<typeof createApplicationSchema>;

export const updateApplicationSchema = applicationSchema.partial().extend({
  archived: z.boolean().optional(),
  /** Archiving stops the live tokens: the caller confirms how many it expects to stop. */
  stopLiveTokens: z.number().int().min(0).optional(),
});
export type UpdateApplicationInput = z.input<typeof updateApplicationSchema>;
