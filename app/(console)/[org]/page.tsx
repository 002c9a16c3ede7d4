import { redirect } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { homePath } from "@/lib/organizations/console-path";

// "/<org>" is the organization's doorway (the header's select leads here): admins land on its tokens, reps on their own.
export default async function OrganizationHomePage({ params }: { params: Promise<{ org: string }> }) {
  const user = await requireUser((await params).org);
  redirect(homePath(user.organizationSlug, user.role));
}
