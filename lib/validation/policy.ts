import { z } from "zod";

const lifetimeDays = z
  .number({ error: "Enter a whole number of days." })
  .int({ error: "Enter a whole number of days." })
  .min(1, { error: "Use at least 1 day." })
  .max(3650, { error: "Use at most 3650 days (10 years)." });

const noticeDays = z
  .number({ error: "Enter days as whole numbers, e.g. “7, 1”." })
  .int({ error: "Enter days as whole numbers, e.g. “7, 1”." })
  .min(1, { error: "Notices go out at least 1 day before expiry." })
  .max(365, { error: "Notices go out at most 365 days before expiry." });

const graceDays = z
  .number({ error: "Enter a whole number of days." })
  .int({ error: "Enter a whole number of days." })
  .min(0, { error: "Use 0 days (no grace period) or more." })
  .max(90, { error: "Use at most 90 days." });

// Restrictions (SPEC §12): the highest per-token rate limit; a million a minute is beyond any
// real use and keeps the limiter's counters far from overflow.
export const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;
const rateLimit = z
  .number({ error: "Enter a whole number of requests per minute." })
  .int({ error: "Enter a whole number of requests per minute." })
  .min(1, { error: "Allow at least 1 request per minute." })
  .max(MAX_RATE_LIMIT_PER_MINUTE, { error: `Use at most ${MAX_RATE_LIMIT_PER_MINUTE.toLocaleString("en-US")} requests per minute.` });

const unusedDays = z
  .number({ error: "Enter a whole number of days." })
  .int({ error: "Enter a whole number of days." })
  .min(14, { error: "Use at least 14 days: owners are told a week before." })
  .max(3650, { error: "Use at most 3650 days (10 years)." });

// The widest range an allowlist may name, as a prefix length: /0 would name every address.
const prefix = (bits: number) =>
  z
    .number({ error: "Enter a prefix length, like 8." })
    .int({ error: "Enter a prefix length, like 8." })
    .min(1, { error: "Use at least 1: /0 names every address." })
    .max(bits, { error: `Use at most ${bits}.` });

// The organization's token policy (SPEC §2, §11). Null lifetimes mean "no maximum" / "no default".
export const tokenPolicySchema = z
  .object({
    maxLifetimeDays: lifetimeDays.nullable(),
    requireExpiration: z.boolean(),
    defaultLifetimeDays: lifetimeDays.nullable(),
    expiryNoticeDays: z
      .array(noticeDays)
      .max(5, { error: "Use at most 5 notice days." })
      .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
    // Rotation and idle tokens (SPEC §11); left out, they keep their current values.
    maxGraceDays: graceDays.optional(),
    deactivateSuccessorOnReuse: z.boolean().optional(),
    revokeUnusedAfterDays: unusedDays.nullable().optional(),
    // Restrictions (SPEC §12); left out, they keep their current values.
    maxRateLimitPerMinute: rateLimit.optional(),
    requireAllowlistForWrite: z.boolean().optional(),
    allowlistMinPrefixV4: prefix(32).optional(),
    allowlistMinPrefixV6: prefix(128).optional(),
  })
  .superRefine((policy, context) => {
    const { maxLifetimeDays: max, defaultLifetimeDays: fallback } = policy;
    // Without a default, a token created with "default" expiration would never expire, which a
    // policy that requires expiration (or caps lifetime) must not allow.
    if ((policy.requireExpiration || max !== null) && fallback === null) {
      context.addIssue({
        code: "custom",
        path: ["defaultLifetimeDays"],
        message: "Set a default lifetime: your policy requires tokens to expire.",
      });
    }
    if (max !== null && fallback !== null && fallback > max) {
      context.addIssue({
        code: "custom",
        path: ["defaultLifetimeDays"],
        message: `The default lifetime cannot exceed the maximum of ${max} days.`,
      });
    }
  });
export type TokenPolicyInput = z.input<typeof tokenPolicySchema>;

/** Reads the settings form: blank lifetimes are null, notice days a list like "7, 1". */
export function tokenPolicyFromForm(formData: FormData): TokenPolicyInput {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  const days = (name: string) => (text(name) === "" ? null : Number(text(name)));
  return {
    maxLifetimeDays: days("maxLifetimeDays"),
    requireExpiration: formData.get("requireExpiration") === "on",
    defaultLifetimeDays: days("defaultLifetimeDays"),
    expiryNoticeDays: text("expiryNoticeDays")
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map(Number),
    // A form without these fields (an older page) leaves them as they are.
    maxGraceDays: formData.has("maxGraceDays") ? Number(text("maxGraceDays") || Number.NaN) : undefined,
    deactivateSuccessorOnReuse: formData.has("maxGraceDays") ? formData.get("deactivateSuccessorOnReuse") === "on" : undefined,
    revokeUnusedAfterDays: formData.has("revokeUnusedAfterDays") ? days("revokeUnusedAfterDays") : undefined,
    maxRateLimitPerMinute: formData.has("maxRateLimitPerMinute") ? Number(text("maxRateLimitPerMinute") || Number.NaN) : undefined,
    requireAllowlistForWrite: formData.has("maxRateLimitPerMinute") ? formData.get("requireAllowlistForWrite") === "on" : undefined,
    allowlistMinPrefixV4: formData.has("allowlistMinPrefixV4") ? Number(text("allowlistMinPrefixV4") || Number.NaN) : undefined,
    allowlistMinPrefixV6: formData.has("allowlistMinPrefixV6") ? Number(text("allowlistMinPrefixV6") || Number.NaN) : undefined,
  };
}

/** What to put back in the form after a refusal. */
export function tokenPolicyFormValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of [
    "maxLifetimeDays",
    "defaultLifetimeDays",
    "expiryNoticeDays",
    "maxGraceDays",
    "revokeUnusedAfterDays",
    "maxRateLimitPerMinute",
    "allowlistMinPrefixV4",
    "allowlistMinPrefixV6",
  ]) {
    const value = formData.get(key);
    if (typeof value === "string") values[key] = value;
  }
  values.requireExpiration = formData.get("requireExpiration") === "on" ? "on" : "";
  values.deactivateSuccessorOnReuse = formData.get("deactivateSuccessorOnReuse") === "on" ? "on" : "";
  values.requireAllowlistForWrite = formData.get("requireAllowlistForWrite") === "on" ? "on" : "";
  return values;
}
