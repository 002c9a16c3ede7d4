import { invalid } from "@/lib/shared/errors";

/**
 * First path segments the app itself uses: an organization with one of these slugs would be
 * shadowed by the route (/login, /api/…) or by the redirects of the old paths (/options, /admin/…).
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "account",
  "admin",
  "api",
  "docs",
  "login",
  "logout",
  "options",
  "reset-password",
  "settings",
  "_next",
  ".well-known",
  "favicon.ico",
  "robots.txt",
]);

export const RESERVED_SLUG_MESSAGE = "This is a path of Tessera itself; choose another slug.";

/** An organization's slug leads its console's URLs (SPEC §10), so it cannot be one of the app's own paths. */
export function assertSlugAvailable(slug: string): void {
  if (RESERVED_SLUGS.has(slug)) throw invalid({ slug: [RESERVED_SLUG_MESSAGE] });
}
