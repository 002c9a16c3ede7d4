"use client";

import { expirationLabel, lastUsedLabel } from "@/components/tokens/token-dates";
import Link from "next/link";
import { useConsolePath } from "@/components/organization-context";
import { formatDateTime } from "@/components/ui/dates";
import type { TokenView } from "@/lib/tokens/view";

export type RowAction = "edit" | "regenerate" | "copy" | "revoke" | "delete";

type TokenRowProps = {
  token: TokenView;
  showUser: boolean;
  now: Date;
  selected: boolean;
  busy: boolean;
  onSelect: (selected: boolean) => void;
  onToggleActive: () => void;
  onAction: (action: RowAction) => void;
};

const STATE_LABELS = { active: null, inactive: "Inactive", expired: "Expired", revoked: "Revoked" } as const;

export function TokenRow({ token, showUser, now, selected, busy, onSelect, onToggleActive, onAction }: TokenRowProps) {
  const revoked = token.state === "revoked";
  // An expired token's settings are frozen (the server refuses to revive it): Regenerate or Copy as new.
  const expired = token.state === "expired";
  const expiration = expirationLabel(token.expiresAt, now);
  const stateLabel = STATE_LABELS[token.state];
  const permissionsId = `permissions-${token.id}`;
  const pathTo = useConsolePath();
  return (
    <tr className={revoked ? "row-revoked" : undefined} aria-busy={busy || undefined}>
      <td>
        <input
          type="checkbox"
          aria-label={`Select ${token.description}`}
          checked={selected}
          disabled={revoked && token.usableUntil === null}
          onChange={(event) => onSelect(event.target.checked)}
        />
      </td>
      {showUser ? (
        <td>
          <span title={token.userDisplayName}>{token.username}</span>
        </td>
      ) : null}
      <td>
        <Link className="cell-title" href={pathTo(`/tokens/${token.id}`)}>
          {token.description}
        </Link>
        <div className="muted small">
          <code>{token.hint}</code>
          {stateLabel ? <span className={`badge badge-${token.state}`}>{stateLabel}</span> : null}
          {token.outsidePolicy ? (
            <span
              className="badge badge-outside-policy"
              title="Made under an earlier policy: it never expires, lives longer than the current maximum, or holds write or admin permissions without allowed IP addresses."
            >
              Outside policy
            </span>
          ) : null}
          {token.revokeReason ? <span> · {token.revokeReason}</span> : null}
        </div>
      </td>
      <td>{token.application.name}</td>
      <td>
        <code className="sid">{token.accountSid}</code>
      </td>
      <td>
        <span className="popover-host">
          <button type="button" className="link-button" aria-describedby={permissionsId}>
            {token.permissions.length} permission{token.permissions.length === 1 ? "" : "s"}
          </button>
          <span role="tooltip" id={permissionsId} className="popover">
            {token.permissions.join(", ")}
          </span>
        </span>
      </td>
      <td>
        <span className={expiration.tone ? `text-${expiration.tone}` : undefined}>{expiration.text}</span>
        {expiration.badge ? <span className="badge badge-warning">{expiration.badge}</span> : null}
      </td>
      <td
        title={token.lastUsedAt ? `${formatDateTime(token.lastUsedAt)}${token.lastUsedIp ? ` from ${token.lastUsedIp}` : ""}` : undefined}
      >
        {lastUsedLabel(token.lastUsedAt, now)}
      </td>
      <td>
        <button
          type="button"
          role="switch"
          aria-checked={token.active}
          aria-label="Active"
          className="switch"
          disabled={revoked || (expired && !token.active) || busy}
          onClick={onToggleActive}
        >
          <span className="switch-thumb" aria-hidden="true" />
        </button>
      </td>
      <td>
        {token.usableUntil ? (
          // A rotated-out value in its grace (SPEC §11): revoking it ends the grace now.
          <span className="grace-cell">
            <span className="small text-warning">Stops working {formatDateTime(token.usableUntil)}</span>
            <button type="button" className="button button-small button-danger-outline" onClick={() => onAction("revoke")}>
              Revoke
            </button>
          </span>
        ) : revoked ? (
          <span className="muted small">Revoked</span>
        ) : (
          <button type="button" className="button button-small button-danger-outline" onClick={() => onAction("revoke")}>
            Revoke
          </button>
        )}
      </td>
      <td>
        <div className="row-actions">
          <button
            type="button"
            className="button button-small"
            disabled={revoked || expired}
            title={expired ? "An expired token cannot be edited: regenerate it or copy it as new." : undefined}
            onClick={() => onAction("edit")}
          >
            Edit
          </button>
          <button type="button" className="button button-small" disabled={revoked} onClick={() => onAction("regenerate")}>
            Regenerate
          </button>
          <button type="button" className="button button-small" onClick={() => onAction("copy")}>
            Copy as new
          </button>
          <button type="button" className="button button-small" onClick={() => onAction("delete")}>
            Delete
          </button>
        </div>
      </td>
    </tr>
  );
}
