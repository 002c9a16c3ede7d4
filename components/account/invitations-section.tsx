import { InvitationResponse } from "@/components/account/invitation-response";
import { formatDateTime } from "@/components/ui/dates";
import { listPendingInvitations } from "@/lib/people/invitations";

const asRole = (role: "admin" | "rep") => (role === "admin" ? "a system admin" : "a service rep");

/**
 * "Invitations" on /account (SPEC §14): organizations that invited the person, each to accept or
 * decline. Nothing at all when there are none.
 */
export async function InvitationsSection({ personId }: { personId: string }) {
  const invitations = await listPendingInvitations(personId);
  if (invitations.length === 0) return null;
  return (
    <section className="card stack" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Invitations</h2>
      <p className="muted">
        Nothing changes in your account until you accept. Accepting adds the organization to the ones you work in, with your e-mail address
        and password; declining leaves no trace in your account.
      </p>
      <ul className="session-list" aria-labelledby="invitations-heading">
        {invitations.map((invitation) => (
          <li key={invitation.id} className="session-row">
            <div className="stack-tight">
              <strong>
                {invitation.organizationName} invites you as {asRole(invitation.role)}
              </strong>
              <span className="muted">
                Username {invitation.username} · Invited by {invitation.invitedBy ?? "a former member"} · Expires{" "}
                <time dateTime={invitation.expiresAt}>{formatDateTime(invitation.expiresAt)}</time>
              </span>
            </div>
            <InvitationResponse invitationId={invitation.id} />
          </li>
        ))}
      </ul>
    </section>
  );
}
