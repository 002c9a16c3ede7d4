import { addDays, endOfUtcDay } from "@/lib/shared/time";

export const EXPIRATION_PRESETS = ["7", "30", "60", "90"] as const;
export type ExpirationChoice = (typeof EXPIRATION_PRESETS)[number] | "custom" | "never" | "default" | "keep";

const blankToUndefined = (value: FormDataEntryValue | null) => {
  const text = typeof value === "string" ? value.trim() : "";
  return text === "" ? undefined : text;
};

/**
 * The expiration a token form asks for: a preset number of days, a custom date (through the end
 * of that day, UTC), none, the organization's default (undefined), or — when editing — no change.
 * An unreadable custom date becomes an Invalid Date, which the token schema reports.
 */
export function expirationFromForm(formData: FormData, now: Date): Date | null | undefined {
  const choice = blankToUndefined(formData.get("expiration")) ?? "default";
  if ((EXPIRATION_PRESETS as readonly string[]).includes(choice)) return addDays(now, Number(choice));
  if (choice === "never") return null;
  if (choice === "custom") {
    const date = blankToUndefined(formData.get("expiresOn"));
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return new Date(Number.NaN);
    return endOfUtcDay(new Date(`${date}T00:00:00Z`));
  }
  return undefined;
}

/** "Allowed IP addresses": one per line (commas and spaces separate too); blank lines ignored. */
export const allowlistFromForm = (formData: FormData): string[] =>
  String(formData.get("allowedIps") ?? "")
    .split(/[\s,]+/)
    .filter((line) => line.length > 0);

/** "Rate limit (requests per minute)": blank for none; anything but digits fails validation. */
export function rateLimitFromForm(formData: FormData): number | null {
  const text = blankToUndefined(formData.get("rateLimit"));
  if (text === undefined) return null;
  return /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
}

/** "Valid from": a `datetime-local` value read as UTC, as the dialog says; blank for at once. */
export function validFromFromForm(formData: FormData): Date | null {
  const text = blankToUndefined(formData.get("validFrom"));
  if (text === undefined) return null;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return new Date(Number.NaN);
  return new Date(`${text}Z`);
}

const restrictionsFromForm = (formData: FormData) => ({
  allowedCidrs: allowlistFromForm(formData),
  rateLimitPerMinute: rateLimitFromForm(formData),
  validFrom: validFromFromForm(formData),
});

export function tokenFieldsFromForm(formData: FormData, now: Date) {
  return {
    ...restrictionsFromForm(formData),
    userId: blankToUndefined(formData.get("userId")),
    applicationId: blankToUndefined(formData.get("applicationId")),
    description: String(formData.get("description") ?? ""),
    accountSid: blankToUndefined(formData.get("accountSid")),
    permissions: formData.getAll("permissions").map(String),
    expiresAt: expirationFromForm(formData, now),
  };
}

/** What to put back in the form after a refusal. */
export function tokenFormValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of [
    "organization",
    "userId",
    "applicationId",
    "description",
    "accountSid",
    "expiration",
    "expiresOn",
    "preset",
    "allowedIps",
    "rateLimit",
    "validFrom",
  ]) {
    const value = formData.get(key);
    if (typeof value === "string") values[key] = value;
  }
  values.permissions = formData.getAll("permissions").map(String).join(",");
  return values;
}
