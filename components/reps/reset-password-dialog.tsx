"use client";

import { OneTimePassword } from "@/components/reps/one-time-password";
import { useSudoFormAction } from "@/components/sudo-provider";
import { DoneNotice } from "@/components/ui/done-notice";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/actions/form-state";
import { resetRepPasswordAction, type RepFormState } from "@/lib/actions/reps";
import type { RepView } from "@/lib/reps/view";

export function ResetPasswordDialog({ rep, onClose }: { rep: RepView; onClose: () => void }) {
  const [state, onSubmit, pending, form] = useSudoFormAction<RepFormState>(resetRepPasswordAction, initialFormState);
  return (
    <Modal
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title="Reset password"
      description={`${rep.displayName} (${rep.username})`}
    >
      {state.issued ? (
        <OneTimePassword {...state.issued} onDone={onClose} />
      ) : state.ok ? (
        // A person of several organizations got a reset link instead.
        <DoneNotice message={state.message} onDone={onClose} />
      ) : (
        <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
          <input type="hidden" name="id" value={rep.id} />
          <FormError state={state} />
          <TextField
            id="reset-password"
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters. Leave blank to generate one; it is shown once. Someone who also belongs to other organizations is mailed a link to choose their own instead."
            errors={state.fieldErrors.password}
          />
          <SubmitActions label="Reset password" pendingLabel="Resetting…" pending={pending} onCancel={onClose} />
        </form>
      )}
    </Modal>
  );
}
