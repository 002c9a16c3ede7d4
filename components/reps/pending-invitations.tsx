"use client";

import { useState } from "react";
import { useSudoAction } from "@/components/sudo-provider";
import { formatDateTime } from "@/components/ui/dates";
import { Notice, type NoticeMessage } from "@/components/ui/notice";
import { withdrawInvitationAction } from "@/lib/actions/invitations";
import type { InvitationView } from "@/lib/people/invitations";

/**
 * "Pending invitations" on the reps page (SPEC §14): people who already have a Tessera account,
 * invited to the organization, who join only when they accept. An admin may withdraw one.
 */
export function PendingInvitations({ invitations }: { invitations: InvitationView[] }) {
  const withdraw = useSudoAction(withdrawInvitationAction);
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  async function withdrawOne(invitation: InvitationView) {
    setPending(invitation.id);
    const state = await withdraw({ id: invitation.id });
    setPending(null);
    setNotice({ tone: state.ok ? "success" : "error", text: state.message ?? (state.ok ? "Withdrawn." : "The change failed.") });
  }

  return (
    <section className="stack" aria-labelledby="pending-invitations-heading">
      <h2 id="pending-invitations-heading">Pending invitations</h2>
      <Notice notice={notice} />
      {invitations.length === 0 ? (
        <p className="muted">None. Adding someone who already has a Tessera account invites them; they appear here until they accept.</p>
      ) : (
        <div className="table-wrap">
          <table className="token-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Invited by</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <tr key={invitation.id}>
                  <td>{invitation.email}</td>
                  <td>{invitation.username}</td>
                  <td>{invitation.role === "admin" ? "System admin" : "Service rep"}</td>
                  <td>{invitation.invitedBy ?? <span className="muted">a former member</span>}</td>
                  <td>{formatDateTime(invitation.expiresAt)}</td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button button-small button-danger-outline"
                        disabled={pending === invitation.id}
                        aria-busy={pending === invitation.id}
                        onClick={() => void withdrawOne(invitation)}
                      >
                        Withdraw
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
