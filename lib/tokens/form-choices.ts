import { getDb } from "@/db";
import type { Actor } from "@/lib/auth/actor";
import { listApplicationChoices } from "@/lib/applications/queries";
import type { ApplicationCatalog } from "@/lib/applications/catalog";
import { loadPolicy } from "@/lib/organizations/queries";
import type { TokenPolicy } from "@/lib/organizations/policy";
import { listPeople } from "@/lib/reps/queries";
import type { PersonOption } from "@/lib/reps/view";
import { mayChooseAccountSid } from "./access";

/** What the create dialog offers an actor for a token of their own in the actor's organization. */
export type OwnTokenChoices = {
  currentUserId: string;
  canChooseAccountSid: boolean;
  reps: PersonOption[];
  applications: ApplicationCatalog[];
  policy: TokenPolicy;
};

/**
 * The create dialog's choices for a token of the actor's own, in the actor's organization: for
 * Options' "Organization" field, one per organization the person works in (each asked as that
 * organization's member, so every catalog and policy is one the person may see).
 */
export async function ownTokenChoices(actor: Actor): Promise<OwnTokenChoices> {
  const db = await getDb();
  const [people, applications, policy] = await Promise.all([
    listPeople(actor),
    listApplicationChoices(actor),
    loadPolicy(db, actor.organizationId),
  ]);
  return {
    currentUserId: actor.userId,
    canChooseAccountSid: mayChooseAccountSid(actor),
    reps: people.filter((person) => person.id === actor.userId),
    applications,
    policy,
  };
}
