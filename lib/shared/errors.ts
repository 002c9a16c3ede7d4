/**
 * Expected failures of the data-access layer. Server actions turn them into form messages and
 * the REST API into problem+json; anything else that is thrown is a bug.
 */
export type FieldErrors = Partial<Record<string, string[]>>;

export class DomainError extends Error {
  constructor(
    readonly code: "not_found" | "invalid" | "conflict" | "forbidden" | "rate_limited",
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message);
    this.name = "DomainError";
  }
}

/** Another organization's or another rep's object answers exactly like a missing one. */
export const notFound = (what = "Token") => new DomainError("not_found", `${what} not found.`);

export const invalid = (fieldErrors: FieldErrors, message = "Check the highlighted fields.") =>
  new DomainError("invalid", message, fieldErrors);

export const conflict = (message: string) => new DomainError("conflict", message);

export const forbidden = (message: string) => new DomainError("forbidden", message);

/** Too many of something in a short time; the API answers 429 with Retry-After. */
export class RateLimited extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super("rate_limited", message);
    this.name = "RateLimited";
  }
}

/**
 * The actor lacks a permission the change needs (SPEC §8): the API answers 403
 * `insufficient_scope` naming it; the console shows the message.
 */
export class InsufficientScope extends DomainError {
  constructor(
    readonly permission: string,
    message = `This token lacks the permission ${permission}.`,
    fieldErrors: FieldErrors = {},
  ) {
    super("forbidden", message, fieldErrors);
    this.name = "InsufficientScope";
  }
}
