"use client";

import { OneTimePassword } from "@/components/reps/one-time-password";
import { RoleField } from "@/components/reps/role-field";
import { useSudoFormAction } from "@/components/sudo-provider";
import { DoneNotice } from "@/components/ui/done-notice";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/actions/form-state";
import { createRepAction, type RepFormState } from "@/lib/actions/reps";

/** Mounted fresh each time it opens, so a new rep never inherits the last one's state. */
export function CreateRepDialog({ onClose }: { onClose: () => void }) {
  const [state, onSubmit, pending, form] = useSudoFormAction<RepFormState>(createRepAction, initialFormState);
  const values = state.values ?? {};
  return (
    <Modal open onOpenChange={(open) => (open ? null : onClose())} title="Create service rep">
      {state.issued ? (
        <div className="stack">
          <p role="status" className="alert alert-success">
            {state.message}
          </p>
          <OneTimePassword {...state.issued} onDone={onClose} />
        </div>
      ) : state.ok ? (
        // Someone who already had an account was invited: nothing to hand over.
        <DoneNotice message={state.message} onDone={onClose} />
      ) : (
        <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
          <FormError state={state} />
          <TextField
            id="rep-username"
            name="username"
            label="Username"
            required
            autoComplete="off"
            spellCheck={false}
            defaultValue={values.username}
            hint="For example alexander.swanson."
            errors={state.fieldErrors.username}
          />
          <TextField
            id="rep-email"
            name="email"
            label="Email"
            type="email"
            required
            autoComplete="off"
            defaultValue={values.email}
            hint="They sign in with it. Someone who already has a Tessera account is invited instead, and joins when they accept."
            errors={state.fieldErrors.email}
          />
          <TextField
            id="rep-display-name"
            name="displayName"
            label="Display name"
            required
            maxLength={100}
            defaultValue={values.displayName}
            errors={state.fieldErrors.displayName}
          />
          <RoleField id="rep-role" defaultValue={values.role} errors={state.fieldErrors.role} />
          <TextField
            id="rep-password"
            name="password"
            label="Initial password"
            type="password"
            autoComplete="new-password"
            hint="For a new account only: at least 12 characters. Leave blank to generate one; either way it is shown once after creating."
            errors={state.fieldErrors.password}
          />
          <SubmitActions label="Create" pendingLabel="Creating…" pending={pending} onCancel={onClose} />
        </form>
      )}
    </Modal>
  );
}
