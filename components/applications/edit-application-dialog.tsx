"use client";

import { useEffect } from "react";
import { ApplicationFields } from "@/components/applications/application-fields";
import { useSudoFormAction } from "@/components/sudo-provider";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { updateApplicationAction } from "@/lib/actions/applications";
import { initialFormState } from "@/lib/actions/form-state";
import type { ApplicationCatalog } from "@/lib/applications/catalog";

type EditApplicationDialogProps = { application: ApplicationCatalog; onClose: (message?: string) => void };

export function EditApplicationDialog({ application, onClose }: EditApplicationDialogProps) {
  const [state, onSubmit, pending, form] = useSudoFormAction(updateApplicationAction, initialFormState);

  useEffect(() => {
    if (state.ok) onClose(state.message ?? undefined);
  }, [state, onClose]);

  return (
    <Modal open onOpenChange={(open) => (open ? null : onClose())} title="Edit application">
      <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
        <input type="hidden" name="id" value={application.id} />
        <FormError state={state} />
        <ApplicationFields
          idPrefix="edit-application"
          state={state}
          initial={{
            name: application.name,
            audience: application.audience ?? "",
            docsUrl: application.docsUrl ?? "",
            description: application.description,
          }}
        />
        <p className="field-hint">Changing the audience takes effect at once: resource servers must expect the new one.</p>
        <SubmitActions label="Save" pendingLabel="Saving…" pending={pending} onCancel={() => onClose()} />
      </form>
    </Modal>
  );
}
