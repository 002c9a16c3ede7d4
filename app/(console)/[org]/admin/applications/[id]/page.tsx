import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ApplicationWorkspace } from "@/components/applications/application-workspace";
import { currentAdminActor } from "@/lib/actions/console-action";
import { consolePath } from "@/lib/organizations/console-path";
import { getApplication } from "@/lib/applications/queries";
import { DomainError } from "@/lib/shared/errors";

export const metadata: Metadata = { title: "Application" };

export default async function ApplicationPage({ params }: { params: Promise<{ org: string; id: string }> }) {
  const { org, id } = await params;
  const actor = await currentAdminActor(org);
  // Another organization's application answers exactly like a missing one.
  const application = await getApplication(actor, id).catch((error: unknown) => {
    if (error instanceof DomainError && (error.code === "not_found" || error.code === "forbidden")) notFound();
    throw error;
  });
  return (
    <section className="stack">
      <div>
        <p className="small">
          <Link href={consolePath(org, "/admin/applications")}>Applications</Link>
        </p>
        <h1>{application.name}</h1>
        {application.description ? <p className="muted">{application.description}</p> : null}
      </div>
      <ApplicationWorkspace application={application} />
    </section>
  );
}
