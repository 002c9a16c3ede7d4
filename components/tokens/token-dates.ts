import { formatDate, formatTimeAgo } from "@/components/ui/dates";
import { daysUntil } from "@/lib/shared/time";

type ExpirationLabel = { text: string; badge: string | null; tone: "muted" | "warning" | "danger" | null };

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
  return lastUsedAt ? formatTimeAgo(lastUsedAt, now) : "never";
}
