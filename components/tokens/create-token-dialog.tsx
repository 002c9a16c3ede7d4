"use client";

import Link from "next/link";
import { useState } from "react";
import { useSudoFormAction } from "@/components/sudo-provider";
import { ExpirationField } from "@/components/tokens/expiration-field";
import { PermissionPicker } from "@/components/tokens/permission-picker";
import { RestrictionFields } from "@/components/tokens/restriction-fields";
import { TokenSecret } from "@/components/tokens/token-secret";
import type { TokenPageContext, TokenPrefill } from "@/components/tokens/types";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/actions/form-state";
import { createTokenAction, type TokenFormState } from "@/lib/actions/tokens";
import { ORGANIZATION_FIELD } from "@/lib/actions/organization-field";
import { useOrganizationSlug } from "@/components/organization-context";
import { DAY_MS } from "@/lib/shared/time";
import { consolePath } from "@/lib/organizations/console-path";

type CreateTokenDialogProps = {
  context: TokenPageContext;
  prefill: TokenPrefill | null;
  onClose: () => void;
};

/** Mounted fresh each time it opens, so a new token never inherits the last one's state. */
export function CreateTokenDialog({ context, prefill, onClose }: CreateTokenDialogProps) {
  const [state, onSubmit, pending, form] = useSudoFormAction<TokenFormState>(createTokenAction, initialFormState);
  const values = state.values ?? {};
  const pageOrganization = useOrganizationSlug();
  const organizations = context.organizations ?? [];
  const [organizationSlug, setOrganizationSlug] = useState(values.organization ?? pageOrganization);
  // The chosen organization's choices (Options of a person in several), or the page's own.
  const chosen = organizations.find((organization) => organization.slug === organizationSlug);
  const scope = chosen ?? context;
  const [ownerId, setOwnerId] = useState(values.userId ?? prefill?.userId ?? context.currentUserId);
  const [permissions, setPermissions] = useState<Set<string>>(
    () => new Set(values.permissions ? values.permissions.split(",").filter(Boolean) : (prefill?.permissions ?? [])),
  );
  const owner = scope.reps.find((rep) => rep.id === (context.mode === "admin" ? ownerId : scope.currentUserId));
  const choices = scope.applications.filter((application) => !application.archived);
  const [applicationId, setApplicationId] = useState(
    () => values.applicationId ?? choices.find((c) => c.id === prefill?.applicationId)?.id ?? choices[0]?.id ?? "",
  );
  const catalog = choices.find((application) => application.id === applicationId);
  const created = state.created;
  const copiedLifetime =
    prefill?.expiresAt && prefill.createdAt
      ? Math.round((Date.parse(prefill.expiresAt) - Date.parse(prefill.createdAt)) / DAY_MS)
      : undefined;
  const initialChoice = prefill ? (prefill.expiresAt === null ? "never" : lifetimeChoice(copiedLifetime)) : undefined;

  return (
    <Modal
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title="Create personal access token"
      description={created ? undefined : "Tokens let integrations call the Tessera API as a service rep."}
      wide
    >
      {created ? (
        <div className="stack">
          <p role="status" className="alert alert-success">
            {state.message}
            {chosen && chosen.slug !== pageOrganization ? (
              <>
                {" "}
                It is listed on <Link href={consolePath(chosen.slug, "/options")}>{chosen.name}&apos;s Options page</Link>.
              </>
            ) : null}
          </p>
          <TokenSecret {...created} onDone={onClose} />
        </div>
      ) : (
        <form ref={form} onSubmit={onSubmit} className="stack" noValidate>
          <FormError state={state} />
          {organizations.length > 1 ? (
            <div className="field">
              <label htmlFor="create-token-organization">Organization</label>
              <select
                id="create-token-organization"
                name={ORGANIZATION_FIELD}
                value={organizationSlug}
                aria-describedby="create-token-organization-hint"
                onChange={(event) => {
                  // Applications and scopes are each organization's own: start again from its first.
                  const next = organizations.find((organization) => organization.slug === event.target.value);
                  setOrganizationSlug(event.target.value);
                  setApplicationId(next?.applications.find((application) => !application.archived)?.id ?? "");
                  setPermissions(new Set());
                }}
              >
                {organizations.map((organization) => (
                  <option key={organization.slug} value={organization.slug}>
                    {organization.name}
                  </option>
                ))}
              </select>
              <p id="create-token-organization-hint" className="hint">
                The organization the token is valid for. It is listed on that organization&apos;s Options page.
              </p>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor="create-token-application">Application</label>
            <select
              id="create-token-application"
              name="applicationId"
              value={applicationId}
              aria-describedby="create-token-application-hint"
              onChange={(event) => {
                // Scopes belong to one application: another application starts from none.
                setApplicationId(event.target.value);
                setPermissions(new Set());
              }}
            >
              {choices.map((application) => (
                <option key={application.id} value={application.id}>
                  {application.name}
                </option>
              ))}
            </select>
            <p id="create-token-application-hint" className="hint">
              The token works only with this application.
            </p>
            {state.fieldErrors.applicationId ? <p className="field-error">{state.fieldErrors.applicationId.join(" ")}</p> : null}
          </div>
          {context.mode === "admin" ? (
            <div className="field">
              <label htmlFor="create-token-rep">Service rep</label>
              <select id="create-token-rep" name="userId" value={ownerId} onChange={(event) => setOwnerId(event.target.value)}>
                {context.reps.map((rep) => (
                  <option key={rep.id} value={rep.id}>
                    {rep.displayName} ({rep.username})
                  </option>
                ))}
              </select>
              {state.fieldErrors.userId ? <p className="field-error">{state.fieldErrors.userId.join(" ")}</p> : null}
            </div>
          ) : null}
          <TextField
            name="description"
            label="Description"
            required
            maxLength={200}
            defaultValue={values.description ?? prefill?.description ?? ""}
            hint="What is this token for? For example “Assessments vendor – production”."
            errors={state.fieldErrors.description}
          />
          {scope.canChooseAccountSid ? (
            <TextField
              name="accountSid"
              label="Account SID"
              defaultValue={values.accountSid ?? ""}
              spellCheck={false}
              autoComplete="off"
              className="mono"
              hint="Leave blank to generate one, or enter the 32-character SID your integration partner registered."
              errors={state.fieldErrors.accountSid}
            />
          ) : null}
          <ExpirationField
            policy={scope.policy}
            now={context.now}
            errors={state.fieldErrors.expiresAt}
            initialChoice={values.expiration ?? initialChoice}
            initialDate={values.expiresOn}
          />
          <RestrictionFields policy={scope.policy} current={prefill ?? undefined} values={values} fieldErrors={state.fieldErrors} />
          {catalog ? (
            <PermissionPicker
              key={catalog.id}
              catalog={catalog}
              selected={permissions}
              onChange={setPermissions}
              ownerIsAdmin={owner?.role === "admin"}
              errors={state.fieldErrors.permissions}
            />
          ) : null}
          <SubmitActions label="Create" pendingLabel="Creating…" pending={pending} onCancel={onClose} />
        </form>
      )}
    </Modal>
  );
}

function lifetimeChoice(days: number | undefined): string | undefined {
  if (days === undefined) return undefined;
  const presets = [7, 30, 60, 90];
  const nearest = presets.find((preset) => Math.abs(preset - days) <= 1);
  return nearest === undefined ? undefined : String(nearest);
}
