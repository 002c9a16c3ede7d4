"use client";

import { useEffect } from "react";
import { RoleField } from "@/components/reps/role-field";
import { useSudoFormAction } from "@/components/sudo-provider";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/actions/form-state";
import { updateRepAction } from "@/lib/actions/reps";
import type { RepView } from "@/lib/reps/view";

type EditRepDialogProps = { rep: RepView; onClose: (message?: string) => void };

export function EditRepDialog({ rep, onClose }: EditRepDialogProps) {
  const [state, onSubmit, pending, form] = useSudoFormAction(updateRepAction, initialFormState);
  const values = state.values ?? {};
  const active = values.active === undefined ? rep.active : values.active === "on";

  useEffect(() => {
    if (state.ok) onClose(state.message ?? undefined);
  }, [state, onClose]);

  return (
    <Modal open onOpenChange={(open) => (open ? null : onClose())} title="Edit service rep" description={`${rep.username} · ${rep.email}`}>
      <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
        <input type="hidden" name="id" value={rep.id} />
        <FormError state={state} />
        <TextField
          id="edit-rep-display-name"
          name="displayName"
          label="Display name"
          required
          maxLength={100}
          defaultValue={values.displayName ?? rep.displayName}
          errors={state.fieldErrors.displayName}
        />
        <RoleField
          id="edit-rep-role"
          defaultValue={values.role ?? rep.role}
          errors={state.fieldErrors.role}
          hint="A service rep's tokens lose the admin-only permissions (tokens:admin, reps:read, audit:read, tokens:introspect) at once."
        />
        <div className="field">
          <label className="checkbox-inline" htmlFor="edit-rep-active">
            <input id="edit-rep-active" type="checkbox" name="active" defaultChecked={active} aria-describedby="edit-rep-active-hint" />
            Active
          </label>
          <p id="edit-rep-active-hint" className="field-hint">
            An inactive rep is signed out and cannot sign in, and none of their tokens work. Nothing is revoked: reactivating restores them.
          </p>
        </div>
        <SubmitActions label="Save" pendingLabel="Saving…" pending={pending} onCancel={() => onClose()} />
      </form>
    </Modal>
  );
}
