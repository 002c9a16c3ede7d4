import type { Metadata } from "next";
import { RepWorkspace } from "@/components/reps/rep-workspace";
import { currentActor } from "@/lib/actions/console-action";
import { listReps } from "@/lib/reps/queries";
import { requireAdmin } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Reps" };

export default async function RepsPage() {
  await requireAdmin();
  const actor = await currentActor();
  const reps = await listReps(actor);
  return (
    <section>
      <h1>Service reps</h1>
      <p className="muted">
        Everyone in your organization. Deactivating a rep signs them out and stops their tokens at once without revoking them; demoting an
        admin narrows their tokens to what a service rep may hold.
      </p>
      <RepWorkspace reps={reps} currentUserId={actor.userId} />
    </section>
  );
}
