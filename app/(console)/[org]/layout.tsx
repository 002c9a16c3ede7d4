import type { ReactNode } from "react";
import { AppHeader } from "@/components/app-header";
import { SudoProvider } from "@/components/sudo-provider";
import { OrganizationProvider } from "@/components/organization-context";
import { requireUser } from "@/lib/auth/session";
import { listWorkingMemberships } from "@/lib/people/memberships";

// Every console page is one organization's: the signed-in person's membership there, or 404
// (lib/auth/session.ts). Pages and actions check again; a layout does not re-run on every navigation.
export default async function ConsoleLayout({ children, params }: { children: ReactNode; params: Promise<{ org: string }> }) {
  const user = await requireUser((await params).org);
  const organizations = await listWorkingMemberships(user.personId);
  return (
    <OrganizationProvider slug={user.organizationSlug}>
      <AppHeader user={user} organizations={organizations} />
      <SudoProvider>
        <main className="page">{children}</main>
      </SudoProvider>
    </OrganizationProvider>
  );
}
