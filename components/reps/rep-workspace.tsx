"use client";

import { useConsolePath } from "@/components/organization-context";
import Link from "next/link";
import { useCallback, useState } from "react";
import { CreateRepDialog } from "@/components/reps/create-rep-dialog";
import { EditRepDialog } from "@/components/reps/edit-rep-dialog";
import { ResetPasswordDialog } from "@/components/reps/reset-password-dialog";
import { useSudoAction } from "@/components/sudo-provider";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatCount, formatTotal } from "@/components/ui/counts";
import { formatDateTime } from "@/components/ui/dates";
import { Notice, type NoticeMessage } from "@/components/ui/notice";
import type { FormState } from "@/lib/actions/form-state";
import { setRepActiveAction } from "@/lib/actions/reps";
import type { RepView } from "@/lib/reps/view";

type Dialog = { kind: "create" } | { kind: "edit" | "reset" | "deactivate" | "reactivate"; rep: RepView };

/** The reps table with its dialogs: create, edit, reset password, deactivate and reactivate. */
export function RepWorkspace({ reps, currentUserId }: { reps: RepView[]; currentUserId: string }) {
  const pathTo = useConsolePath();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const setActive = useSudoAction(setRepActiveAction);

  const close = useCallback(() => setDialog(null), []);
  const closeWithNotice = useCallback((message?: string) => {
    setDialog(null);
    if (message) setNotice({ tone: "success", text: message });
  }, []);

  async function confirmActive(rep: RepView, active: boolean): Promise<string | null> {
    const state: FormState = await setActive({ id: rep.id, active: String(active) });
    if (!state.ok) return state.message ?? "The change failed.";
    closeWithNotice(state.message ?? undefined);
    return null;
  }

  return (
    <>
      <div className="toolbar">
        <button type="button" className="button button-primary" onClick={() => setDialog({ kind: "create" })}>
          Create rep
        </button>
        <Notice notice={notice} />
      </div>
      <div className="table-wrap">
        <table className="token-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Active tokens</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {reps.map((rep) => (
              <tr key={rep.id} className={rep.active ? undefined : "row-revoked"}>
                <td>
                  <div className="cell-title">
                    {rep.displayName}
                    {rep.id === currentUserId ? <span className="badge">you</span> : null}
                  </div>
                  <div className="muted small">{rep.username}</div>
                </td>
                <td>{rep.email}</td>
                <td>{rep.role === "admin" ? "System admin" : "Service rep"}</td>
                <td>{rep.active ? "Active" : <span className="badge badge-inactive">Inactive</span>}</td>
                <td>{formatTotal(rep.activeTokens)}</td>
                <td>{rep.lastSignInAt ? formatDateTime(rep.lastSignInAt) : <span className="muted">never</span>}</td>
                <td>
                  <div className="row-actions">
                    <Link href={pathTo(`/admin/tokens?rep=${rep.id}`)} className="button button-small">
                      View tokens
                    </Link>
                    <button type="button" className="button button-small" onClick={() => setDialog({ kind: "edit", rep })}>
                      Edit
                    </button>
                    <button type="button" className="button button-small" onClick={() => setDialog({ kind: "reset", rep })}>
                      Reset password
                    </button>
                    {rep.active ? (
                      <button
                        type="button"
                        className="button button-small button-danger-outline"
                        onClick={() => setDialog({ kind: "deactivate", rep })}
                      >
                        Deactivate
                      </button>
                    ) : (
                      <button type="button" className="button button-small" onClick={() => setDialog({ kind: "reactivate", rep })}>
                        Reactivate
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {dialog?.kind === "create" ? <CreateRepDialog onClose={close} /> : null}
      {dialog?.kind === "edit" ? <EditRepDialog rep={dialog.rep} onClose={closeWithNotice} /> : null}
      {dialog?.kind === "reset" ? <ResetPasswordDialog rep={dialog.rep} onClose={close} /> : null}
      {dialog?.kind === "deactivate" ? (
        <ConfirmDialog
          title={`Deactivate ${dialog.rep.displayName}?`}
          actionLabel="Deactivate"
          danger
          onClose={close}
          onConfirm={() => confirmActive(dialog.rep, false)}
        >
          {dialog.rep.displayName} is signed out at once and cannot sign in, and none of their{" "}
          {formatCount(dialog.rep.activeTokens, "active token")} work any more. Nothing is revoked: reactivating them restores access.
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === "reactivate" ? (
        <ConfirmDialog
          title={`Reactivate ${dialog.rep.displayName}?`}
          actionLabel="Reactivate"
          onClose={close}
          onConfirm={() => confirmActive(dialog.rep, true)}
        >
          {dialog.rep.displayName} can sign in again, and their tokens that are not revoked or expired work again.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
