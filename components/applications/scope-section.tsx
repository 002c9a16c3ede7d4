"use client";

import { ImportDialog } from "@/components/applications/import-dialog";
import { ScopeDialog } from "@/components/applications/scope-dialog";
import { useSudoAction } from "@/components/sudo-provider";
import { useDialog } from "@/components/ui/use-dialog";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { NoticeMessage } from "@/components/ui/notice";
import { setScopeDeprecatedAction } from "@/lib/actions/applications";
import type { ApplicationCatalog, ScopeDefinition } from "@/lib/applications/catalog";

type Dialog = { kind: "add" } | { kind: "import" } | { kind: "edit" | "deprecate"; scope: ScopeDefinition };

type ScopeSectionProps = { application: ApplicationCatalog; editable: boolean; onNotice: (notice: NoticeMessage) => void };

/** The scope catalog: a table with Edit and Deprecate/Restore per scope, Add scope and Import from OpenAPI. */
export function ScopeSection({ application, editable, onNotice }: ScopeSectionProps) {
  const { dialog, setDialog, close, closeWithNotice } = useDialog<Dialog>(onNotice);
  const setDeprecated = useSudoAction(setScopeDeprecatedAction);

  async function changeDeprecated(scope: ScopeDefinition, deprecated: boolean): Promise<string | null> {
    const state = await setDeprecated({ id: application.id, scopeId: scope.id, deprecated: String(deprecated) });
    if (!state.ok) return state.message ?? "The change failed.";
    closeWithNotice(state.message ?? undefined);
    return null;
  }

  async function restore(scope: ScopeDefinition) {
    const failure = await changeDeprecated(scope, false);
    if (failure) onNotice({ tone: "error", text: failure });
  }

  return (
    <section className="stack" aria-labelledby="scopes-heading">
      <h2 id="scopes-heading">Scopes</h2>
      {editable ? (
        <div className="toolbar">
          <button type="button" className="button button-primary" onClick={() => setDialog({ kind: "add" })}>
            Add scope
          </button>
          {application.archived ? null : (
            <button type="button" className="button" onClick={() => setDialog({ kind: "import" })}>
              Import from OpenAPI
            </button>
          )}
        </div>
      ) : null}
      {application.scopes.length === 0 ? (
        <p className="empty">No scopes yet: add them one by one, or import them from the API&apos;s OpenAPI document.</p>
      ) : (
        <div className="table-wrap">
          <table className="token-table">
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Description</th>
                <th scope="col">Group</th>
                <th scope="col">Docs</th>
                <th scope="col">Admin only</th>
                <th scope="col">Deprecated</th>
                {editable ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {application.scopes.map((scope) => (
                <tr key={scope.id} className={scope.deprecated ? "row-revoked" : undefined}>
                  <td className="mono">{scope.id}</td>
                  <td>{scope.description}</td>
                  <td>{scope.group}</td>
                  <td>
                    {scope.docsUrl ? (
                      <a href={scope.docsUrl} target="_blank" rel="noopener noreferrer" aria-label={`Docs for ${scope.id}`}>
                        Docs
                      </a>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td>{scope.adminOnly ? "Yes" : "No"}</td>
                  <td>{scope.deprecated ? <span className="badge badge-inactive">Deprecated</span> : "No"}</td>
                  {editable ? (
                    <td>
                      <div className="row-actions">
                        <button type="button" className="button button-small" onClick={() => setDialog({ kind: "edit", scope })}>
                          Edit
                        </button>
                        {scope.deprecated ? (
                          <button type="button" className="button button-small" onClick={() => restore(scope)}>
                            Restore
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            onClick={() => setDialog({ kind: "deprecate", scope })}
                          >
                            Deprecate
                          </button>
                        )}
                      </div>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {dialog?.kind === "add" ? <ScopeDialog application={application} onClose={closeWithNotice} /> : null}
      {dialog?.kind === "edit" ? <ScopeDialog application={application} scope={dialog.scope} onClose={closeWithNotice} /> : null}
      {dialog?.kind === "import" ? <ImportDialog application={application} onClose={closeWithNotice} /> : null}
      {dialog?.kind === "deprecate" ? (
        <ConfirmDialog
          title={`Deprecate ${dialog.scope.id}?`}
          actionLabel="Deprecate"
          danger
          onClose={close}
          onConfirm={() => changeDeprecated(dialog.scope, true)}
        >
          New tokens cannot ask for {dialog.scope.id}, and tokens holding it stop using it at once. Nothing is deleted: restoring the scope
          gives it back to them.
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
