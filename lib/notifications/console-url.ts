import { getEnv } from "@/lib/env";
import { consolePath } from "@/lib/organizations/console-path";

/** The organization's console, absolute, for links in mail: a person in several organizations lands in the right one. */
export function organizationConsoleUrl(organizationSlug: string): string {
  return `${getEnv().appUrl}${consolePath(organizationSlug, "")}`;
}
