import { daysUntil } from "@/lib/shared/time";

// Dates are formatted in UTC with a fixed locale so the server render and the browser agree.
const dateFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });
const dateTimeFormat = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => `${dateTimeFormat.format(new Date(iso))} UTC`;

export type ExpirationLabel = { text: string; badge: string | null; tone: "muted" | "warning" | "danger" | null };

/** "never", "expired", or the date, with an "expires in 3 days" badge inside the last week. */
export function expirationLabel(expiresAt: string | null, now: Date): ExpirationLabel {
  if (!expiresAt) return { text: "never", badge: null, tone: "muted" };
  const date = new Date(expiresAt);
  if (date.getTime() <= now.getTime()) return { text: "expired", badge: null, tone: "danger" };
  const days = daysUntil(date, now);
  if (days > 7) return { text: formatDate(expiresAt), badge: null, tone: null };
  const badge = days <= 1 ? "expires within a day" : `expires in ${days} days`;
  return { text: formatDate(expiresAt), badge, tone: "warning" };
}

/** "3 days ago", "2 hours ago", or "never". */
export function lastUsedLabel(lastUsedAt: string | null, now: Date): string {
  if (!lastUsedAt) return "never";
  const seconds = Math.round((new Date(lastUsedAt).getTime() - now.getTime()) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return "just now";
}
