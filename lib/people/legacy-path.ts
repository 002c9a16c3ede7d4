import { redirect } from "next/navigation";
import { requirePerson } from "@/lib/auth/session";
import { consolePath } from "@/lib/organizations/console-path";
import { listWorkingMemberships } from "./memberships";

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * Redirects a console path from before organizations were in the URL (/options, /admin/…) into
 * the signed-in person's default organization, keeping its query, so bookmarks and mailed links still work.
 */
export async function redirectIntoDefaultOrganization(path: `/${string}`, searchParams: SearchParams): Promise<never> {
  const person = await requirePerson();
  const [first] = await listWorkingMemberships(person.personId);
  if (!first) redirect("/login");
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(name, item);
  }
  const search = query.size > 0 ? `?${query}` : "";
  redirect(`${consolePath(first.slug, path)}${search}`);
}
