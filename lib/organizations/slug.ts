import { invalid } from "@/lib/shared/errors";

/**
 * First path segments the app itself uses: an organization with one of these slugs would be
 * shadowed by the route (/login, /api/…) or by the redirects of the old paths (/options, /admin/…).
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
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

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An organization's slug is a URL segment: lowercase letters, digits and inner hyphens, and not one of the app's own. */
export function assertSlugAvailable(slug: string): void {
  if (!SLUG.test(slug)) throw invalid({ slug: ["Use lowercase letters, digits and hyphens (up to 63), starting and ending with a letter or digit."] });
  if (RESERVED_SLUGS.has(slug)) throw invalid({ slug: [`“${slug}” is a path of Tessera itself; choose another slug.`] });
}
