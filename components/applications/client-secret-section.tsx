"use client";

import { useCallback, useState } from "react";
import { useSudoAction } from "@/components/sudo-provider";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime } from "@/components/ui/dates";
import { Modal } from "@/components/ui/modal";
import type { NoticeMessage } from "@/components/ui/notice";
import { OneTimeSecret } from "@/components/ui/one-time-secret";
import { createClientSecretAction, revokeClientSecretAction, type ClientSecretFormState } from "@/lib/actions/applications";
import { LIVE_SECRETS_MAX } from "@/lib/applications/client-secret-limits";
import type { ApplicationDetail, ClientSecretView } from "@/lib/applications/queries";

type Created = NonNullable<ClientSecretFormState["created"]>;
type Dialog = { kind: "created"; created: Created } | { kind: "revoke"; secret: ClientSecretView };

type ClientSecretSectionProps = { application: ApplicationDetail; onNotice: (notice: NoticeMessage) => void };

/** The client credentials resource servers use for introspection: the client id and up to two secrets. */
export function ClientSecretSection({ application, onNotice }: ClientSecretSectionProps) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [creating, setCreating] = useState(false);
  const createSecret = useSudoAction(createClientSecretAction);
  const revokeSecret = useSudoAction(revokeClientSecretAction);
  const secrets = application.clientSecrets;

  const close = useCallback(() => setDialog(null), []);

  async function create() {
    setCreating(true);
    let state: ClientSecretFormState;
    try {
      state = await createSecret({ id: application.id });
    } finally {
      setCreating(false);
    }
    if (state.ok && state.created) setDialog({ kind: "created", created: state.created });
    else onNotice({ tone: "error", text: state.message ?? "The client secret could not be created." });
  }

  async function revoke(secret: ClientSecretView): Promise<string | null> {
    const state = await revokeSecret({ id: application.id, secretId: secret.id });
    if (!state.ok) return state.message ?? "The change failed.";
    setDialog(null);
    if (state.message) onNotice({ tone: "success", text: state.message });
    return null;
  }

  return (
    <section className="stack" aria-labelledby="client-secrets-heading">
      <h2 id="client-secrets-heading">Client secrets</h2>
      <p className="muted">
        Resource servers of {application.name} authenticate to token introspection with HTTP Basic: client id <code>{application.id}</code>{" "}
        and a client secret. Two secrets can be live at once, so a server can move to a new one before the old one is revoked.
      </p>
      {application.archived ? null : (
        <div className="toolbar">
          <button
            type="button"
            className="button"
            onClick={create}
            disabled={creating || secrets.length >= LIVE_SECRETS_MAX}
            aria-busy={creating}
            aria-describedby={secrets.length >= LIVE_SECRETS_MAX ? "client-secrets-full" : undefined}
          >
            Create client secret
          </button>
          {secrets.length >= LIVE_SECRETS_MAX ? (
            <span id="client-secrets-full" className="muted small">
              Revoke one of the two live secrets to create another.
            </span>
          ) : null}
        </div>
      )}
      {secrets.length === 0 ? (
        <p className="muted">No client secrets: its resource servers cannot introspect tokens yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="token-table">
            <thead>
              <tr>
                <th scope="col">Secret</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {secrets.map((secret) => (
                <tr key={secret.id}>
                  <td className="mono">{secret.hint}</td>
                  <td>{formatDateTime(secret.createdAt)}</td>
                  <td>{secret.lastUsedAt ? formatDateTime(secret.lastUsedAt) : <span className="muted">never</span>}</td>
                  <td>
                    <button
                      type="button"
                      className="button button-small button-danger-outline"
                      onClick={() => setDialog({ kind: "revoke", secret })}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {dialog?.kind === "created" ? (
        <Modal open onOpenChange={(open) => (open ? null : close())} title="New client secret">
          <OneTimeSecret
            value={dialog.created.value}
            testId="client-secret"
            warning="Copy this client secret now. It will not be shown again: Tessera keeps only a hash of it."
            onDone={close}
          >
            <p className="muted">
              Client id <code data-testid="client-id">{dialog.created.clientId}</code>
            </p>
          </OneTimeSecret>
        </Modal>
      ) : null}
      {dialog?.kind === "revoke" ? (
        <ConfirmDialog
          title={`Revoke client secret ${dialog.secret.hint}?`}
          actionLabel="Revoke"
          danger
          onClose={close}
          onConfirm={() => revoke(dialog.secret)}
        >
          Resource servers still using it can no longer introspect tokens. This cannot be undone.
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
