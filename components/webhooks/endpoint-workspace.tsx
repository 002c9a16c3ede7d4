"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useConsolePath } from "@/components/organization-context";
import { useSudoAction, useSudoFormAction } from "@/components/sudo-provider";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime } from "@/components/ui/dates";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { Notice, type NoticeMessage } from "@/components/ui/notice";
import { useDialog } from "@/components/ui/use-dialog";
import { EndpointFields } from "@/components/webhooks/endpoint-fields";
import { EndpointSecret } from "@/components/webhooks/endpoint-secret";
import { eventLabels } from "@/components/webhooks/endpoint-table";
import { initialFormState, type FormState } from "@/lib/actions/form-state";
import {
  deleteWebhookEndpointAction,
  rotateWebhookSecretAction,
  sendTestEventAction,
  setWebhookEndpointActiveAction,
  updateWebhookEndpointAction,
} from "@/lib/actions/webhooks";
import type { WebhookEndpointView } from "@/lib/webhooks/endpoints";

type Dialog = "edit" | "rotate" | "delete" | { secret: string; note: string };

/** One endpoint's page below its heading: its settings and the changes an admin makes to it. */
export function EndpointWorkspace({ endpoint }: { endpoint: WebhookEndpointView }) {
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [testing, setTesting] = useState(false);
  const { dialog, setDialog, close, closeWithNotice } = useDialog<Dialog>(setNotice);
  const setActive = useSudoAction(setWebhookEndpointActiveAction);
  const sendTest = useSudoAction(sendTestEventAction);
  const rotate = useSudoAction(rotateWebhookSecretAction);
  const remove = useSudoAction(deleteWebhookEndpointAction);
  const router = useRouter();
  const pathTo = useConsolePath();

  const report = (state: FormState, fallback: string) =>
    setNotice({ tone: state.ok ? "success" : "error", text: state.message ?? fallback });

  async function toggle() {
    report(await setActive({ id: endpoint.id, active: String(!endpoint.active) }), "The change failed.");
  }

  async function test() {
    setTesting(true);
    try {
      report(await sendTest({ id: endpoint.id }), "The test event could not be sent.");
    } finally {
      setTesting(false);
    }
  }

  async function confirmRotate(): Promise<string | null> {
    const state = await rotate({ id: endpoint.id });
    if (!state.ok || !("secret" in state) || !state.secret) return state.message ?? "The secret could not be rotated.";
    setDialog({ secret: state.secret, note: state.message ?? "Secret rotated." });
    return null;
  }

  async function confirmDelete(): Promise<string | null> {
    const state = await remove({ id: endpoint.id });
    if (!state.ok) return state.message ?? "The endpoint could not be deleted.";
    router.push(pathTo("/admin/webhooks"));
    return null;
  }

  return (
    <>
      {endpoint.active ? null : (
        <p className="alert alert-warning" role="note">
          This endpoint is disabled: it receives nothing, and its pending deliveries wait until you enable it.
        </p>
      )}
      <div className="toolbar">
        <button type="button" className="button" onClick={() => setDialog("edit")}>
          Edit
        </button>
        <button type="button" className="button" onClick={toggle}>
          {endpoint.active ? "Disable" : "Enable"}
        </button>
        <button type="button" className="button" onClick={test} disabled={testing || !endpoint.active} aria-busy={testing}>
          Send test event
        </button>
        <button type="button" className="button" onClick={() => setDialog("rotate")}>
          Rotate secret
        </button>
        <button type="button" className="button button-danger-outline" onClick={() => setDialog("delete")}>
          Delete
        </button>
        <Notice notice={notice} />
      </div>
      <dl className="details-list">
        <dt>URL</dt>
        <dd className="mono">{endpoint.url}</dd>
        <dt>Events</dt>
        <dd>{eventLabels(endpoint.events)}</dd>
        <dt>Signing secret</dt>
        <dd>
          {endpoint.previousSecretExpiresAt
            ? `Rotated: the previous secret also signs until ${formatDateTime(endpoint.previousSecretExpiresAt)}.`
            : "One secret (shown only when it was made)."}
        </dd>
        <dt>Added</dt>
        <dd>{formatDateTime(endpoint.createdAt)}</dd>
      </dl>

      {dialog === "edit" ? <EditEndpointDialog endpoint={endpoint} onClose={closeWithNotice} /> : null}
      {dialog === "rotate" ? (
        <ConfirmDialog title="Rotate the signing secret?" actionLabel="Rotate secret" onClose={close} onConfirm={confirmRotate}>
          A new secret signs every delivery from now on. The previous secret keeps working for 24 hours — each delivery carries both
          signatures — so you can update your receiver without missing an event.
        </ConfirmDialog>
      ) : null}
      {dialog === "delete" ? (
        <ConfirmDialog title="Delete this endpoint?" actionLabel="Delete" danger onClose={close} onConfirm={confirmDelete}>
          It stops receiving events at once, and its secrets and delivery log are deleted. This cannot be undone.
        </ConfirmDialog>
      ) : null}
      {typeof dialog === "object" && dialog !== null ? (
        <Modal open onOpenChange={(open) => (open ? null : close())} title="New signing secret">
          <EndpointSecret secret={dialog.secret} note={dialog.note} onDone={close} />
        </Modal>
      ) : null}
    </>
  );
}

function EditEndpointDialog({ endpoint, onClose }: { endpoint: WebhookEndpointView; onClose: (message?: string) => void }) {
  const [state, onSubmit, pending, form] = useSudoFormAction<FormState>(updateWebhookEndpointAction, initialFormState);
  useEffect(() => {
    if (state.ok) onClose(state.message ?? undefined);
  }, [state, onClose]);
  return (
    <Modal open onOpenChange={(open) => (open ? null : onClose())} title="Edit endpoint" wide>
      <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
        <input type="hidden" name="id" value={endpoint.id} />
        <FormError state={state} />
        <EndpointFields idPrefix="edit-endpoint" state={state} initial={endpoint} />
        <SubmitActions label="Save" pendingLabel="Saving…" pending={pending} onCancel={() => onClose()} />
      </form>
    </Modal>
  );
}
