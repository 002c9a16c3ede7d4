import { redirect } from "next/navigation";
import { requirePerson } from "@/lib/auth/session";
import { listWorkingMemberships } from "@/lib/people/memberships";
import { homePath } from "@/lib/organizations/console-path";

// "/" is a doorway into the person's default organization: admins land on its tokens, reps on their own.
export default async function HomePage() {
  const person = await requirePerson();
  const [first] = await listWorkingMemberships(person.personId);
  // A live session always has one (lib/auth/session-store.ts); if the last one just went, sign in again.
  if (!first) redirect("/login");
  redirect(homePath(first.slug, first.role));
}
