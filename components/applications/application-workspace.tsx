"use client";

import { useState } from "react";
import { ApplicationDetails } from "@/components/applications/application-details";
import { ClientSecretSection } from "@/components/applications/client-secret-section";
import { EditApplicationDialog } from "@/components/applications/edit-application-dialog";
import { PresetSection } from "@/components/applications/preset-section";
import { ScopeSection } from "@/components/applications/scope-section";
import { useSudoAction } from "@/components/sudo-provider";
import { useDialog } from "@/components/ui/use-dialog";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Notice, type NoticeMessage } from "@/components/ui/notice";
import { setApplicationArchivedAction } from "@/lib/actions/applications";
import type { ApplicationDetail } from "@/lib/applications/queries";

type Dialog = "edit" | "archive" | "unarchive";

/** One application's page below its heading: details, scopes, presets, client secrets, archiving. */
export function ApplicationWorkspace({ application }: { application: ApplicationDetail }) {
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const { dialog, setDialog, close, closeWithNotice } = useDialog<Dialog>(setNotice);
  const setArchived = useSudoAction(setApplicationArchivedAction);
  const editable = !application.builtIn;
  const live = application.liveTokens;

  async function confirmArchived(archived: boolean): Promise<string | null> {
    const state = await setArchived({
      id: application.id,
      archived: String(archived),
      stopLiveTokens: archived ? String(live) : undefined,
    });
    if (!state.ok) return state.message ?? "The change failed.";
    closeWithNotice(state.message ?? undefined);
    return null;
  }

  return (
    <>
      {application.builtIn ? (
        <p className="alert alert-warning" role="note">
          {application.name} is built in: its scopes are Tessera&apos;s own permissions, defined by Tessera itself. Its catalog is shown
          read-only, and it has no client secrets (its audience is Tessera&apos;s issuer).
        </p>
      ) : null}
      {application.archived ? (
        <p className="alert alert-warning" role="note">
          {application.name} is archived: its tokens do not work and no new tokens can be created for it. Unarchive it to import scopes or
          create client secrets.
        </p>
      ) : null}
      {editable ? (
        <div className="toolbar">
          <button type="button" className="button" onClick={() => setDialog("edit")}>
            Edit details
          </button>
          {application.archived ? (
            <button type="button" className="button" onClick={() => setDialog("unarchive")}>
              Unarchive
            </button>
          ) : (
            <button type="button" className="button button-danger-outline" onClick={() => setDialog("archive")}>
              Archive
            </button>
          )}
          <Notice notice={notice} />
        </div>
      ) : null}
      <ApplicationDetails application={application} />
      <ScopeSection application={application} editable={editable} onNotice={setNotice} />
      <PresetSection application={application} editable={editable} onNotice={setNotice} />
      {editable ? <ClientSecretSection application={application} onNotice={setNotice} /> : null}

      {dialog === "edit" ? <EditApplicationDialog application={application} onClose={closeWithNotice} /> : null}
      {dialog === "archive" ? (
        <ConfirmDialog
          title={`Archive ${application.name}?`}
          actionLabel="Archive"
          danger
          onClose={close}
          onConfirm={() => confirmArchived(true)}
        >
          {live > 0 ? `This stops its ${live.toLocaleString("en-US")} live token${live === 1 ? "" : "s"}.` : "It has no live tokens."} No
          new tokens can be created for it, and its client secrets stop working. Nothing is revoked: unarchiving it restores them.
        </ConfirmDialog>
      ) : null}
      {dialog === "unarchive" ? (
        <ConfirmDialog
          title={`Unarchive ${application.name}?`}
          actionLabel="Unarchive"
          onClose={close}
          onConfirm={() => confirmArchived(false)}
        >
          Its tokens that are not revoked or expired work again, and new tokens can be created for it.
        </ConfirmDialog>
      ) : null}
    </>
  );
}
