import { redirect } from "next/navigation";
import { requirePerson } from "@/lib/auth/session";
import { listPendingInvitations } from "@/lib/people/invitations";
import { listWorkingMemberships } from "@/lib/people/memberships";
import { homePath } from "@/lib/organizations/console-path";

// "/" is a doorway into the person's default organization: admins land on its tokens, reps on their own.
// Sign-in leads here; a person with pending invitations sees them on /account first (SPEC §14).
export default async function HomePage() {
  const person = await requirePerson();
  const [[first], invitations] = await Promise.all([listWorkingMemberships(person.personId), listPendingInvitations(person.personId)]);
  // A live session always has one (lib/auth/session-store.ts); if the last one just went, sign in again.
  if (!first) redirect("/login");
  if (invitations.length > 0) redirect("/account");
  redirect(homePath(first.slug, first.role));
}
