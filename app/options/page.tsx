import { redirectIntoDefaultOrganization } from "@/lib/people/legacy-path";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

// GET /options — from before organizations were in the URL: into the person's default organization.
export default async function LegacyOptionsPage({ searchParams }: Props) {
  return redirectIntoDefaultOrganization("/options", await searchParams);
}
