"use client";

import { useEffect, useId, useState } from "react";
import { useSudoFormAction } from "@/components/sudo-provider";
import { FormError, SubmitActions } from "@/components/ui/form-parts";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { savePresetsAction } from "@/lib/actions/applications";
import { initialFormState } from "@/lib/actions/form-state";
import type { ApplicationCatalog } from "@/lib/applications/catalog";

type AddPresetDialogProps = { application: ApplicationCatalog; onClose: (message?: string) => void };

/** A new preset: a name and live scopes. It is saved with the existing presets, as the whole list. */
export function AddPresetDialog({ application, onClose }: AddPresetDialogProps) {
  const [state, onSubmit, pending, form] = useSudoFormAction(savePresetsAction, initialFormState);
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const id = useId();
  const liveScopes = application.scopes.filter((scope) => !scope.deprecated);
  const presets = [
    ...application.presets.map((preset) => ({ name: preset.name, scopes: preset.scopes })),
    { name: name.trim(), scopes: liveScopes.filter((scope) => selected.has(scope.id)).map((scope) => scope.id) },
  ];
  const duplicate = application.presets.some((preset) => preset.name === name.trim());
  const errors = state.fieldErrors.presets;

  useEffect(() => {
    if (state.ok) onClose(state.message ?? undefined);
  }, [state, onClose]);

  function toggle(scope: string, checked: boolean) {
    const next = new Set(selected);
    if (checked) next.add(scope);
    else next.delete(scope);
    setSelected(next);
  }

  return (
    <Modal open onOpenChange={(open) => (open ? null : onClose())} title="Add preset" wide>
      <form ref={form} onSubmit={onSubmit} className="stack" noValidate aria-describedby={errors?.length ? `${id}-errors` : undefined}>
        <input type="hidden" name="id" value={application.id} />
        <input type="hidden" name="presets" value={JSON.stringify(presets)} />
        <FormError state={state} />
        {errors?.length ? (
          <ul id={`${id}-errors`} className="field-error compact-list">
            {errors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
        ) : null}
        <TextField
          id={`${id}-name`}
          label="Preset name"
          name="presetName"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          hint="Offered as “Preset” where tokens are created, for example “Extended Access”."
          errors={duplicate ? [`${application.name} already has a preset named ${name.trim()}.`] : undefined}
        />
        <fieldset className="permission-picker">
          <legend>Scopes</legend>
          {liveScopes.length === 0 ? <p className="muted">{application.name} has no live scopes yet: add some first.</p> : null}
          <div className="permission-grid">
            {liveScopes.map((scope) => (
              <div key={scope.id} className="permission-option">
                <input
                  id={`${id}-${scope.id}`}
                  type="checkbox"
                  checked={selected.has(scope.id)}
                  aria-describedby={`${id}-${scope.id}-about`}
                  onChange={(event) => toggle(scope.id, event.target.checked)}
                />
                <label htmlFor={`${id}-${scope.id}`}>{scope.id}</label>
                <span id={`${id}-${scope.id}-about`} className="permission-about">
                  {scope.description}
                </span>
              </div>
            ))}
          </div>
        </fieldset>
        <SubmitActions label="Save preset" pendingLabel="Saving…" pending={pending} onCancel={() => onClose()} />
      </form>
    </Modal>
  );
}
