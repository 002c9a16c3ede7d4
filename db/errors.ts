/** True when the error (or any error it wraps) is PostgreSQL's unique_violation (23505). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let cause: unknown = error; isObject(cause); cause = cause.cause) {
    if (cause.code === "23505" && (constraint === undefined || cause.constraint_name === constraint || cause.constraint === constraint)) {
      return true;
    }
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
