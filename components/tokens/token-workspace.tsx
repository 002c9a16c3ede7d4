"use client";

import { useCallback, useState } from "react";
import { useSudoAction } from "@/components/sudo-provider";
import { CreateTokenDialog } from "@/components/tokens/create-token-dialog";
import { EditTokenDialog } from "@/components/tokens/edit-token-dialog";
import { TokenRow, type RowAction } from "@/components/tokens/token-row";
import { TokenSecret } from "@/components/tokens/token-secret";
import type { TokenPageContext, TokenPrefill } from "@/components/tokens/types";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Modal } from "@/components/ui/modal";
import { Notice, type NoticeMessage } from "@/components/ui/notice";
import type { FormState } from "@/lib/actions/form-state";
import {
  deleteTokenAction,
  regenerateTokenAction,
  revokeTokenAction,
  revokeTokensAction,
  setTokenActiveAction,
} from "@/lib/actions/tokens";
import type { TokenView } from "@/lib/tokens/view";

type Dialog =
  | { kind: "create"; prefill: TokenPrefill | null }
  | { kind: "edit" | "regenerate" | "revoke" | "delete"; token: TokenView }
  | { kind: "bulk-revoke" }
  | { kind: "secret"; value: string; description: string; accountSid: string };

// SPEC §11's choices for how long a rotated-out value keeps working (bounded by the policy's maxGraceDays).
const GRACE_CHOICES = [
  ["none", "No"],
  ["for:3600", "1 hour"],
  ["for:86400", "1 day"],
  ["for:604800", "7 days"],
  ["after_first_use:3600", "Until 1 hour after the new value is first used"],
] as const;

type TokenWorkspaceProps = {
  context: TokenPageContext;
  tokens: TokenView[];
  initialPrefill: TokenPrefill | null;
  createFor?: string;
};

/** The token table with its toolbar, row actions and dialogs (shared by /admin/tokens and /options). */
export function TokenWorkspace({ context, tokens, initialPrefill, createFor }: TokenWorkspaceProps) {
  const [dialog, setDialog] = useState<Dialog | null>(initialPrefill ? { kind: "create", prefill: initialPrefill } : null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<NoticeMessage | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [grace, setGrace] = useState<string>("none");
  const now = new Date(context.now);
  const showUser = context.mode === "admin";

  const setActive = useSudoAction(setTokenActiveAction);
  const regenerate = useSudoAction(regenerateTokenAction);
  const revoke = useSudoAction(revokeTokenAction);
  const revokeMany = useSudoAction(revokeTokensAction);
  const remove = useSudoAction(deleteTokenAction);

  const report = useCallback((state: FormState) => {
    setNotice(state.message ? { tone: state.ok ? "success" : "error", text: state.message } : null);
  }, []);
  const close = useCallback(() => setDialog(null), []);
  const closeWithNotice = useCallback((message?: string) => {
    setDialog(null);
    if (message) setNotice({ tone: "success", text: message });
  }, []);

  // Working tokens: live ones, and rotated-out values still in their grace (revoking those ends the grace).
  const live = tokens.filter((token) => token.state !== "revoked" || token.usableUntil !== null);
  const selectedLive = live.filter((token) => selected.has(token.id));

  async function toggleActive(token: TokenView) {
    setBusyId(token.id);
    report(await setActive({ id: token.id, active: String(!token.active) }));
    setBusyId(null);
  }

  function onAction(token: TokenView, action: RowAction) {
    if (action === "copy") {
      setDialog({ kind: "create", prefill: { ...token, description: token.description } });
    } else {
      if (action === "regenerate") setGrace("none");
      setDialog({ kind: action, token });
    }
  }

  /** Runs a confirmed change; returns the error to show in the dialog, or null when done. */
  async function confirmed(run: () => Promise<FormState>, after?: (state: FormState) => void): Promise<string | null> {
    const state = await run();
    if (!state.ok) return state.message ?? "The change failed.";
    setDialog(null);
    report(state);
    after?.(state);
    return null;
  }

  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          className="button button-primary"
          onClick={() => setDialog({ kind: "create", prefill: createFor ? { userId: createFor } : null })}
        >
          Create token
        </button>
        <button type="button" className="button" disabled={selectedLive.length === 0} onClick={() => setDialog({ kind: "bulk-revoke" })}>
          Revoke selected
        </button>
        {selectedLive.length > 0 ? <span className="muted">{selectedLive.length} selected</span> : null}
        <Notice notice={notice} />
      </div>

      <div className="table-wrap">
        <table className="token-table">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label="Select all tokens on this page"
                  checked={live.length > 0 && selectedLive.length === live.length}
                  onChange={(event) => setSelected(event.target.checked ? new Set(live.map((token) => token.id)) : new Set())}
                />
              </th>
              {showUser ? <th scope="col">User</th> : null}
              <th scope="col">Description</th>
              <th scope="col">Application</th>
              <th scope="col">Account SID</th>
              <th scope="col">Permissions</th>
              <th scope="col">Expiration</th>
              <th scope="col">Last used</th>
              <th scope="col">Active</th>
              <th scope="col">Revoke</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 ? (
              <tr>
                <td colSpan={showUser ? 10 : 9} className="empty">
                  No tokens match. Create one with “Create token”.
                </td>
              </tr>
            ) : (
              tokens.map((token) => (
                <TokenRow
                  key={token.id}
                  token={token}
                  showUser={showUser}
                  now={now}
                  selected={selected.has(token.id)}
                  busy={busyId === token.id}
                  onSelect={(checked) => {
                    const next = new Set(selected);
                    if (checked) next.add(token.id);
                    else next.delete(token.id);
                    setSelected(next);
                  }}
                  onToggleActive={() => toggleActive(token)}
                  onAction={(action) => onAction(token, action)}
                />
              ))
            )}
          </tbody>
        </table>
      </div>

      {dialog?.kind === "create" ? <CreateTokenDialog context={context} prefill={dialog.prefill} onClose={close} /> : null}
      {dialog?.kind === "edit" ? <EditTokenDialog token={dialog.token} context={context} onClose={closeWithNotice} /> : null}
      {dialog?.kind === "regenerate" ? (
        <ConfirmDialog
          title="Regenerate token?"
          actionLabel="Regenerate"
          onClose={close}
          onConfirm={async () => {
            const state = await regenerate({ id: dialog.token.id, grace });
            if (!state.ok) return state.message ?? "Regeneration failed.";
            report(state);
            if ("created" in state && state.created) {
              setDialog({ kind: "secret", ...state.created });
            }
            return null;
          }}
        >
          <p>
            A new value replaces “{dialog.token.description}” with the same settings. Update every integration that uses the current value
            before it stops working.
          </p>
          <div className="field">
            <label htmlFor="regenerate-grace">Keep the old value working</label>
            <select id="regenerate-grace" value={grace} onChange={(event) => setGrace(event.target.value)}>
              {GRACE_CHOICES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === "revoke" ? (
        <ConfirmDialog
          title="Revoke token?"
          actionLabel="Revoke"
          danger
          reasonLabel="Reason (optional)"
          onClose={close}
          onConfirm={(reason) => confirmed(() => revoke({ id: dialog.token.id, reason }))}
        >
          “{dialog.token.description}” stops working immediately. Revocation is permanent.
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === "bulk-revoke" ? (
        <ConfirmDialog
          title={`Revoke ${selectedLive.length} token${selectedLive.length === 1 ? "" : "s"}?`}
          actionLabel="Revoke"
          danger
          reasonLabel="Reason (optional)"
          onClose={close}
          onConfirm={(reason) =>
            confirmed(
              () => revokeMany({ id: selectedLive.map((token) => token.id), reason }),
              () => setSelected(new Set()),
            )
          }
        >
          <ul className="compact-list">
            {selectedLive.map((token) => (
              <li key={token.id}>{token.description}</li>
            ))}
          </ul>
          These tokens stop working immediately. Revocation is permanent.
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === "delete" ? (
        <ConfirmDialog
          title="Delete token?"
          actionLabel="Delete"
          danger
          onClose={close}
          onConfirm={() => confirmed(() => remove({ id: dialog.token.id }))}
        >
          “{dialog.token.description}” is removed from the list{dialog.token.state === "revoked" ? "" : " and stops working immediately"}.
          The audit log keeps a record of it.
        </ConfirmDialog>
      ) : null}
      {dialog?.kind === "secret" ? (
        <Modal open onOpenChange={(open) => (open ? null : close())} title="New token value">
          <TokenSecret value={dialog.value} description={dialog.description} accountSid={dialog.accountSid} onDone={close} />
        </Modal>
      ) : null}
    </>
  );
}
