"use client";

import { useState } from "react";

type OneTimePasswordProps = { username: string; password: string; generated: boolean; onDone: () => void };

/** A new or reset password, shown once so the admin can hand it over; Tessera keeps only a hash. */
export function OneTimePassword({ username, password, generated, onDone }: OneTimePasswordProps) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(password);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div className="stack">
      <p className="alert alert-warning" role="note">
        {generated ? "A password was generated" : "The password is set"} for <strong>{username}</strong>. Give it to them
        over a safe channel now: it will not be shown again.
      </p>
      <code className="token-value" data-testid="one-time-password">
        {password}
      </code>
      <div className="row">
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
        <span role="status" className="muted">
          {copied === "copied" ? "Copied to the clipboard." : copied === "failed" ? "Copy failed: select the password and copy it." : ""}
        </span>
      </div>
      <div className="modal-actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
