// Error codes that mean "the database cannot be reached right now", as opposed to a bad query:
// socket errors, postgres.js connection states, and PostgreSQL's connection/shutdown classes.
const UNAVAILABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EPIPE",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; typeof cause === "object" && cause !== null && depth < 10; depth += 1) {
    const record = cause as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof record.code === "string" && UNAVAILABLE.has(record.code)) return true;
    if (Array.isArray(record.errors) && record.errors.some(isDatabaseUnavailable)) return true;
    cause = record.cause;
  }
  return false;
}
