/** A URL slug: 2–40 lowercase letters, digits or dashes, not starting with a dash. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{1,39}$/;

/** Whether `value` is shaped like a slug; anything else (a NUL byte, a path, 10 KB of text) names nothing. */
export const isSlug = (value: string): boolean => SLUG_PATTERN.test(value);
