// Time arithmetic on instants, in UTC. Display formatting lives with the components.

export const DAY_MS = 86_400_000;

export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);

export function endOfUtcDay(date: Date): Date {
  const end = new Date(date);
  end.setUTCHours(23, 59, 59, 999);
  return end;
}

/** Whole days until `date`, rounded up, so 20 hours reads "1 day"; zero or negative once past. */
export function daysUntil(date: Date, now: Date): number {
  return Math.ceil((date.getTime() - now.getTime()) / DAY_MS);
}
