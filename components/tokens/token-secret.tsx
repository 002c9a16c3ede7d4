"use client";

import { useState } from "react";

/** The one-time display of a token value, with Copy and Download. */
type TokenSecretProps = { value: string; description: string; accountSid?: string; onDone: () => void };

export function TokenSecret({ value, description, accountSid, onDone }: TokenSecretProps) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }

  function download() {
    const blob = new Blob([`${value}\n`], { type: "text/plain" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `${fileNameFor(description)}.txt`;
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="stack">
      {accountSid ? (
        <p className="muted">
          Account SID <code>{accountSid}</code>
        </p>
      ) : null}
      <p className="alert alert-warning" role="note">
        Copy this token now. It will not be shown again: Tessera keeps only a hash of it.
      </p>
      <code className="token-value" data-testid="token-value">
        {value}
      </code>
      <div className="row">
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
        <button type="button" className="button" onClick={download}>
          Download
        </button>
        <span role="status" className="muted">
          {copied === "copied" ? "Copied to the clipboard." : copied === "failed" ? "Copy failed: select the value and copy it." : ""}
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

export function fileNameFor(description: string): string {
  const slug = description
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug || "token";
}
