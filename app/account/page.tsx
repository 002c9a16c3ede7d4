import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { InvitationsSection } from "@/components/account/invitations-section";
import { SessionsSection } from "@/components/account/sessions-section";
import { TwoFactorSection } from "@/components/account/two-factor-section";
import { requirePerson } from "@/lib/auth/session";
import { listWorkingMemberships } from "@/lib/people/memberships";
import { homePath } from "@/lib/organizations/console-path";

export const metadata: Metadata = { title: "Account" };

// GET /account — the signed-in person's own account (SPEC §14): no organization's, so it sits
// outside every organization's console.
export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const person = await requirePerson();
  const organizations = await listWorkingMemberships(person.personId);
  const home = organizations[0];
  // Sent here by an organization whose policy requires a second factor (lib/auth/session.ts).
  const { "two-factor-required": requiredSlug } = await searchParams;
  const requiredBy = organizations.find((organization) => organization.slug === requiredSlug);
  return (
    <main className="page">
      <div className="stack">
        {home ? (
          <p>
            <Link href={homePath(home.slug, home.role)}>← Back to {home.name}</Link>
          </p>
        ) : null}
        <h1>Account</h1>
        <p className="muted">{person.email}</p>
        {requiredBy ? (
          <p className="alert alert-warning" role="alert">
            {requiredBy.name} requires two-factor authentication. Set up an authenticator app below, then open {requiredBy.name} again.
          </p>
        ) : null}
        <InvitationsSection personId={person.personId} />
        <section className="card stack" aria-labelledby="change-password-heading">
          <h2 id="change-password-heading">Change password</h2>
          <p className="muted">
            Your password is yours alone: it opens every organization you work in. A password an administrator set for you opens only their
            organization until you choose your own here.
          </p>
          <ChangePasswordForm />
        </section>
        <TwoFactorSection personId={person.personId} />
        <SessionsSection session={person} />
      </div>
    </main>
  );
}
