import { redirectIntoDefaultOrganization } from "@/lib/people/legacy-path";

type Props = { params: Promise<{ path: string[] }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

// GET /admin/… — from before organizations were in the URL: into the person's default organization.
export default async function LegacyAdminPage({ params, searchParams }: Props) {
  const { path } = await params;
  return redirectIntoDefaultOrganization(`/admin/${path.map(encodeURIComponent).join("/")}`, await searchParams);
}
