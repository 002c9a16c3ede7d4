"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { useConsolePath } from "@/components/organization-context";
import { useSudoFormAction } from "@/components/sudo-provider";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { EndpointFields } from "@/components/webhooks/endpoint-fields";
import { EndpointSecret } from "@/components/webhooks/endpoint-secret";
import { initialFormState } from "@/lib/actions/form-state";
import { createWebhookEndpointAction, type WebhookSecretFormState } from "@/lib/actions/webhooks";

export function AddEndpointButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button button-primary" onClick={() => setOpen(true)}>
        Add endpoint
      </button>
      {open ? <AddEndpointDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

/** Mounted fresh each time it opens; once added, the secret is shown once, then the endpoint's page opens. */
function AddEndpointDialog({ onClose }: { onClose: () => void }) {
  const [state, onSubmit, pending, form] = useSudoFormAction<WebhookSecretFormState>(createWebhookEndpointAction, initialFormState);
  const router = useRouter();
  const pathTo = useConsolePath();
  const { secret, endpointId } = state;

  function done() {
    onClose();
    if (endpointId) router.push(pathTo(`/admin/webhooks/${endpointId}`));
  }

  return (
    <Modal
      open
      onOpenChange={(open) => (open ? null : secret ? done() : onClose())}
      title="Add endpoint"
      description="Where Tessera sends your organization's token events."
      wide
    >
      {secret ? (
        <EndpointSecret secret={secret} note={state.message ?? "Endpoint added."} onDone={done} />
      ) : (
        <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
          <FormError state={state} />
          <EndpointFields idPrefix="add-endpoint" state={state} />
          <SubmitActions label="Add endpoint" pendingLabel="Adding…" pending={pending} onCancel={onClose} />
        </form>
      )}
    </Modal>
  );
}
