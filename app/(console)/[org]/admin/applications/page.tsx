import type { Metadata } from "next";
import { ApplicationTable } from "@/components/applications/application-table";
import { CreateApplicationButton } from "@/components/applications/create-application-button";
import { currentAdminActor } from "@/lib/actions/console-action";
import { listApplications } from "@/lib/applications/queries";

export const metadata: Metadata = { title: "Applications" };

export default async function ApplicationsPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const applications = await listApplications(await currentAdminActor(org));
  return (
    <section>
      <h1>Applications</h1>
      <p className="muted">
        The APIs that accept your organization&apos;s tokens. A token works with exactly one application, and only with the scopes its
        catalog lists; archiving an application stops its tokens.
      </p>
      <div className="toolbar">
        <CreateApplicationButton />
      </div>
      <ApplicationTable organizationSlug={org} applications={applications} />
    </section>
  );
}
