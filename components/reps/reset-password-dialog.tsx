"use client";

import { resetRepPasswordAction, type RepFormState } from "@/app/(console)/admin/reps/actions";
import { initialFormState } from "@/lib/form-state";
import type { RepView } from "@/lib/reps/view";
import { useSudoFormAction } from "../sudo-provider";
import { Modal } from "../ui/modal";
import { TextField } from "../ui/text-field";
import { OneTimePassword } from "./one-time-password";

export function ResetPasswordDialog({ rep, onClose }: { rep: RepView; onClose: () => void }) {
  const [state, onSubmit, pending, form] = useSudoFormAction<RepFormState>(resetRepPasswordAction, initialFormState);
  return (
    <Modal open onOpenChange={(open) => (open ? null : onClose())} title="Reset password" description={`${rep.displayName} (${rep.username})`}>
      {state.issued ? (
        <OneTimePassword {...state.issued} onDone={onClose} />
      ) : (
        <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
          <input type="hidden" name="id" value={rep.id} />
          {state.message && !state.ok ? (
            <p role="alert" className="alert alert-error">
              {state.message}
            </p>
          ) : null}
          <TextField
            id="reset-password"
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters. Leave blank to generate one; it is shown once."
            errors={state.fieldErrors.password}
          />
          <div className="modal-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" disabled={pending}>
              {pending ? "Resetting…" : "Reset password"}
            </button>
          </div>
        </form>
      )}
    </Modal>
  );
}
