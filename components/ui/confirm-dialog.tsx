"use client";

import { useState, type ReactNode } from "react";
import { Modal } from "@/components/ui/modal";

type ConfirmDialogProps = {
  title: string;
  children: ReactNode;
  /** The button repeats the action: "Revoke", "Delete", "Regenerate". */
  actionLabel: string;
  danger?: boolean;
  /** Optional free-text reason (revocation). */
  reasonLabel?: string;
  onConfirm: (reason: string) => Promise<string | null>;
  onClose: () => void;
};

/** Confirms a destructive change; shows the change's error in place if it fails. */
export function ConfirmDialog({ title, children, actionLabel, danger, reasonLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [reason, setReason] = useState("");

  async function confirm() {
    setPending(true);
    setError(null);
    const failure = await onConfirm(reason);
    setPending(false);
    if (failure) setError(failure);
  }

  return (
    <Modal open onOpenChange={(open) => (open ? null : onClose())} title={title}>
      <div className="stack">
        <div>{children}</div>
        {reasonLabel ? (
          <div className="field">
            <label htmlFor="confirm-reason">{reasonLabel}</label>
            <textarea id="confirm-reason" rows={2} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />
          </div>
        ) : null}
        {error ? (
          <p role="alert" className="alert alert-error">
            {error}
          </p>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? "button button-danger" : "button button-primary"}
            onClick={confirm}
            disabled={pending}
            aria-busy={pending}
          >
            {actionLabel}
          </button>
        </div>
      </div>
    </Modal>
  );
}
