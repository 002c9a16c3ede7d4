import type { Metadata } from "next";
import Link from "next/link";
import { ChangePasswordForm, OwnPasswordLinkButton } from "@/components/account/change-password-form";
import { InvitationsSection } from "@/components/account/invitations-section";
import { SessionsSection } from "@/components/account/sessions-section";
import { TwoFactorSection } from "@/components/account/two-factor-section";
import { SignOutButton } from "@/components/sign-out-button";
import { requirePerson } from "@/lib/auth/session";
import { passwordScopeOf } from "@/lib/people/change-password";
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
  const scope = await passwordScopeOf(person.personId);
  const requiredBy = organizations.find((organization) => organization.slug === requiredSlug);
  const twoFactor = <TwoFactorSection personId={person.personId} />;
  return (
    <main className="page">
      <div className="stack">
        <div className="row account-bar">
          {home && home !== requiredBy ? <Link href={homePath(home.slug, home.role)}>← Back to {home.name}</Link> : <span />}
          <SignOutButton />
        </div>
        <h1>Account</h1>
        <p className="muted">{person.email}</p>
        {requiredBy ? (
          <>
            <p className="alert alert-warning" role="alert">
              {requiredBy.name} requires two-factor authentication. Set up an authenticator app or add a passkey below, then{" "}
              <Link href={homePath(requiredBy.slug, requiredBy.role)}>open {requiredBy.name}</Link> again.
            </p>
            {twoFactor}
          </>
        ) : null}
        <InvitationsSection personId={person.personId} />
        <section className="card stack" aria-labelledby="change-password-heading">
          <h2 id="change-password-heading">Change password</h2>
          {scope ? (
            <>
              <p className="muted">
                An administrator of {scope.organizationName} set your password, so it opens {scope.organizationName} only, and changing it
                here keeps it that way. To choose a password of your own, which opens every organization you work in, ask for a one-time
                link to your mailbox.
              </p>
              <OwnPasswordLinkButton />
            </>
          ) : (
            <p className="muted">Your password is yours alone: it opens every organization you work in.</p>
          )}
          <ChangePasswordForm />
        </section>
        {requiredBy ? null : twoFactor}
        <SessionsSection session={person} />
      </div>
    </main>
  );
}
