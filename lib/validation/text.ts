import { z } from "zod";

// Limits of what PostgreSQL can hold, applied where input arrives, so no odd value fails in SQL.

/** Text can be stored and compared: PostgreSQL text has no NUL character. */
export const noNul = [(value: string) => !value.includes("\u0000"), { error: "Remove the NUL character." }] as const;

/** A UTC day (YYYY-MM-DD) PostgreSQL can hold, and the day after it too: years 1 to 9999. */
export const isoDay = z.iso.date().refine((value) => value >= "0001-01-01" && value < "9999-12-31", {
  error: "Use a date between 0001-01-01 and 9999-12-30.",
});

/** Years past 9999 are written "+010000-…" by Date#toISOString, which PostgreSQL cannot read. */
export const LAST_STORABLE_INSTANT = new Date("9999-12-31T23:59:59.999Z");
