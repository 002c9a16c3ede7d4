/** A console page of an organization: the organization's slug leads the path (SPEC §10). */
export function consolePath(organizationSlug: string, path: `/${string}` | ""): string {
  return `/${encodeURIComponent(organizationSlug)}${path}`;
}

/** The page a member lands on in an organization: admins on its tokens, reps on their own. */
export function homePath(organizationSlug: string, role: "admin" | "rep"): string {
  return consolePath(organizationSlug, role === "admin" ? "/admin/tokens" : "/options");
}
