"use client";

import { useEffect, useState } from "react";
import { useSudoFormAction } from "@/components/sudo-provider";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { saveScopeAction } from "@/lib/actions/applications";
import { initialFormState } from "@/lib/actions/form-state";
import type { ApplicationCatalog, ScopeDefinition } from "@/lib/applications/catalog";
import { scopeIdProblem } from "@/lib/applications/scope-id";

type ScopeDialogProps = {
  application: ApplicationCatalog;
  /** The scope to edit; without one the dialog adds a scope. */
  scope?: ScopeDefinition;
  onClose: (message?: string) => void;
};

/** "Add scope" (with the id checked as it is typed) or "Edit scope" (the id stays). */
export function ScopeDialog({ application, scope, onClose }: ScopeDialogProps) {
  const [state, onSubmit, pending, form] = useSudoFormAction(saveScopeAction, initialFormState);
  const values = state.values ?? {};
  const [scopeId, setScopeId] = useState(values.scopeId ?? scope?.id ?? "");
  const adding = scope === undefined;

  useEffect(() => {
    if (state.ok) onClose(state.message ?? undefined);
  }, [state, onClose]);

  const typedId = scopeId.trim();
  const liveProblem =
    typedId === ""
      ? null
      : (scopeIdProblem(typedId) ??
        (application.scopes.some((existing) => existing.id === typedId)
          ? `${application.name} already has ${typedId}: edit it instead.`
          : null));
  // The server's answer holds until the id is changed; from then on the live check speaks.
  const serverErrors = values.scopeId === scopeId ? state.fieldErrors.scopeId : undefined;
  const idErrors = serverErrors ?? (liveProblem ? [liveProblem] : undefined);

  return (
    <Modal
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={adding ? "Add scope" : "Edit scope"}
      description={adding ? undefined : scope.id}
    >
      <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
        <input type="hidden" name="id" value={application.id} />
        <input type="hidden" name="mode" value={adding ? "add" : "edit"} />
        <FormError state={state} />
        {adding ? (
          <TextField
            id="scope-id"
            name="scopeId"
            label="Scope id"
            required
            autoComplete="off"
            spellCheck={false}
            className="mono"
            value={scopeId}
            onChange={(event) => setScopeId(event.target.value)}
            hint="Lowercase words separated by colons, like orders:read."
            errors={idErrors}
          />
        ) : (
          <input type="hidden" name="scopeId" value={scope.id} />
        )}
        <TextField
          id="scope-description"
          name="description"
          label="Description"
          required
          maxLength={500}
          defaultValue={values.description ?? scope?.description}
          hint="What a token holding it may do, for the people choosing permissions."
          errors={state.fieldErrors.description}
        />
        <TextField
          id="scope-group"
          name="group"
          label="Group"
          maxLength={50}
          defaultValue={values.group ?? scope?.group}
          hint="Scopes are listed by group. Leave blank to use the part before the first colon."
          errors={state.fieldErrors.group}
        />
        <TextField
          id="scope-docs-url"
          name="docsUrl"
          label="Docs URL"
          type="url"
          spellCheck={false}
          autoComplete="off"
          defaultValue={values.docsUrl ?? scope?.docsUrl ?? ""}
          hint="Optional: an https:// link, shown as “Docs for <scope id>” where tokens are created."
          errors={state.fieldErrors.docsUrl}
        />
        <div className="field">
          <label className="checkbox-inline" htmlFor="scope-admin-only">
            <input
              id="scope-admin-only"
              type="checkbox"
              name="adminOnly"
              defaultChecked={values.adminOnly === undefined ? (scope?.adminOnly ?? false) : values.adminOnly === "on"}
              aria-describedby="scope-admin-only-hint"
            />
            Admin only
          </label>
          <p id="scope-admin-only-hint" className="field-hint">
            Only system admins&apos; tokens may hold it; service reps&apos; tokens never use it.
          </p>
        </div>
        <SubmitActions
          label={adding ? "Add" : "Save"}
          pendingLabel={adding ? "Adding…" : "Saving…"}
          pending={pending}
          onCancel={() => onClose()}
        />
      </form>
    </Modal>
  );
}
