"use client";

import { TOKEN_LIMITS } from "@/lib/validation/token-limits";
import { useEffect, useState } from "react";
import { useSudoFormAction } from "@/components/sudo-provider";
import { ExpirationField } from "@/components/tokens/expiration-field";
import { PermissionPicker } from "@/components/tokens/permission-picker";
import { RestrictionFields } from "@/components/tokens/restriction-fields";
import type { TokenPageContext } from "@/components/tokens/types";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/actions/form-state";
import { updateTokenAction } from "@/lib/actions/tokens";
import type { TokenView } from "@/lib/tokens/view";

type EditTokenDialogProps = {
  token: TokenView;
  context: TokenPageContext;
  onClose: (message?: string) => void;
};

export function EditTokenDialog({ token, context, onClose }: EditTokenDialogProps) {
  const [state, onSubmit, pending, form] = useSudoFormAction(updateTokenAction, initialFormState);
  const values = state.values ?? {};
  const [permissions, setPermissions] = useState<Set<string>>(
    () => new Set(values.permissions ? values.permissions.split(",").filter(Boolean) : token.permissions),
  );
  const owner = context.reps.find((rep) => rep.id === token.userId);
  const ownerIsAdmin = owner ? owner.role === "admin" : token.effectivePermissions.some((p) => p === "tokens:admin");
  const catalog = context.applications.find((application) => application.id === token.application.id);

  useEffect(() => {
    if (state.ok) onClose(state.message ?? undefined);
  }, [state, onClose]);

  return (
    <Modal
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title="Edit token"
      description={`${token.application.name} · Account SID ${token.accountSid}`}
      wide
    >
      <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
        <input type="hidden" name="id" value={token.id} />
        <FormError state={state} />
        <TextField
          name="description"
          label="Description"
          required
          maxLength={TOKEN_LIMITS.description}
          defaultValue={values.description ?? token.description}
          errors={state.fieldErrors.description}
        />
        <ExpirationField
          policy={context.policy}
          now={context.now}
          current={token.expiresAt}
          createdAt={token.createdAt}
          errors={state.fieldErrors.expiresAt}
          initialChoice={values.expiration}
          initialDate={values.expiresOn}
        />
        <RestrictionFields policy={context.policy} current={token} values={values} fieldErrors={state.fieldErrors} />
        {catalog ? (
          <PermissionPicker
            catalog={catalog}
            selected={permissions}
            onChange={setPermissions}
            ownerIsAdmin={ownerIsAdmin}
            held={token.permissions}
            errors={state.fieldErrors.permissions}
          />
        ) : null}
        <SubmitActions label="Save" pendingLabel="Saving…" pending={pending} onCancel={() => onClose()} />
      </form>
    </Modal>
  );
}
