"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ApplicationFields } from "@/components/applications/application-fields";
import { useSudoFormAction } from "@/components/sudo-provider";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { createApplicationAction, type ApplicationFormState } from "@/lib/actions/applications";
import { initialFormState } from "@/lib/actions/form-state";
import { useConsolePath } from "@/components/organization-context";

/** Mounted fresh each time it opens; a created application opens its page, where scopes are added. */
export function CreateApplicationDialog({ onClose }: { onClose: () => void }) {
  const [state, onSubmit, pending, form] = useSudoFormAction<ApplicationFormState>(createApplicationAction, initialFormState);
  const router = useRouter();
  const pathTo = useConsolePath();
  const createdId = state.applicationId;

  useEffect(() => {
    if (createdId) router.push(pathTo(`/admin/applications/${createdId}`));
  }, [createdId, router, pathTo]);

  return (
    <Modal
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title="Create application"
      description="An API of your platform that accepts your organization's tokens. You add its scopes next."
    >
      {createdId ? (
        <p role="status" className="alert alert-success">
          {state.message} Opening it…
        </p>
      ) : (
        <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
          <FormError state={state} />
          <ApplicationFields idPrefix="create-application" state={state} />
          <SubmitActions label="Create" pendingLabel="Creating…" pending={pending} onCancel={onClose} />
        </form>
      )}
    </Modal>
  );
}
