import type { Metadata } from "next";
import { PendingInvitations } from "@/components/reps/pending-invitations";
import { RepWorkspace } from "@/components/reps/rep-workspace";
import { currentAdminActor } from "@/lib/actions/console-action";
import { listOrganizationInvitations } from "@/lib/people/invitations";
import { listReps } from "@/lib/reps/queries";

export const metadata: Metadata = { title: "Reps" };

export default async function RepsPage({ params }: { params: Promise<{ org: string }> }) {
  const actor = await currentAdminActor((await params).org);
  const [reps, invitations] = await Promise.all([listReps(actor), listOrganizationInvitations(actor)]);
  return (
    <section>
      <h1>Service reps</h1>
      <p className="muted">
        Everyone in your organization. Deactivating a rep stops them and their tokens here at once, without revoking the tokens (their other
        organizations, if any, are not affected); demoting an admin narrows their tokens to what a service rep may hold.
      </p>
      <RepWorkspace reps={reps} currentUserId={actor.userId} />
      <PendingInvitations invitations={invitations} />
    </section>
  );
}
