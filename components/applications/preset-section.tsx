"use client";

import { AddPresetDialog } from "@/components/applications/add-preset-dialog";
import { useSudoAction } from "@/components/sudo-provider";
import { useDialog } from "@/components/ui/use-dialog";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { NoticeMessage } from "@/components/ui/notice";
import { savePresetsAction } from "@/lib/actions/applications";
import type { ApplicationCatalog, PresetDefinition } from "@/lib/applications/catalog";

type Dialog = { kind: "add" } | { kind: "delete"; preset: PresetDefinition };

type PresetSectionProps = { application: ApplicationCatalog; editable: boolean; onNotice: (notice: NoticeMessage) => void };

/** Named scope sets offered as "Preset" where tokens are created; saved as a whole list. */
export function PresetSection({ application, editable, onNotice }: PresetSectionProps) {
  const { dialog, setDialog, close, closeWithNotice } = useDialog<Dialog>(onNotice);
  const savePresets = useSudoAction(savePresetsAction);

  async function remove(preset: PresetDefinition): Promise<string | null> {
    const rest = application.presets.filter((other) => other.id !== preset.id).map(({ name, scopes }) => ({ name, scopes }));
    const state = await savePresets({ id: application.id, presets: JSON.stringify(rest) });
    if (!state.ok) return [state.message, ...(state.fieldErrors.presets ?? [])].filter(Boolean).join(" ") || "The change failed.";
    closeWithNotice(`Deleted the preset ${preset.name}.`);
    return null;
  }

  return (
    <section className="stack" aria-labelledby="presets-heading">
      <h2 id="presets-heading">Presets</h2>
      {editable ? (
        <div className="toolbar">
          <button type="button" className="button" onClick={() => setDialog({ kind: "add" })}>
            Add preset
          </button>
        </div>
      ) : null}
      {application.presets.length === 0 ? (
        <p className="muted">No presets: people creating tokens choose scopes one by one.</p>
      ) : (
        <div className="table-wrap">
          <table className="token-table">
            <thead>
              <tr>
                <th scope="col">Preset</th>
                <th scope="col">Scopes</th>
                {editable ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {application.presets.map((preset) => (
                <tr key={preset.id}>
                  <td className="cell-title">{preset.name}</td>
                  <td className="mono small">{preset.scopes.join(", ")}</td>
                  {editable ? (
                    <td>
                      <button
                        type="button"
                        className="button button-small button-danger-outline"
                        onClick={() => setDialog({ kind: "delete", preset })}
                      >
                        Delete
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {dialog?.kind === "add" ? <AddPresetDialog application={application} onClose={closeWithNotice} /> : null}
      {dialog?.kind === "delete" ? (
        <ConfirmDialog
          title={`Delete preset ${dialog.preset.name}?`}
          actionLabel="Delete"
          danger
          onClose={close}
          onConfirm={() => remove(dialog.preset)}
        >
          It is no longer offered when tokens are created. Tokens created with it keep their scopes.
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
