"use client";

import { useState, type ReactNode } from "react";

type OneTimeSecretProps = {
  value: string;
  testId: string;
  /** What it is and why it will not be shown again. */
  warning: ReactNode;
  /** Offer a .txt download under this name (without extension). */
  downloadName?: string;
  onDone: () => void;
  children?: ReactNode;
};

/** A secret shown exactly once, with Copy (and optionally Download) and Done. */
export function OneTimeSecret({ value, testId, warning, downloadName, onDone, children }: OneTimeSecretProps) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }

  function download(name: string) {
    const url = URL.createObjectURL(new Blob([`${value}\n`], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `${name}.txt`;
    link.click();
    URL.revokeObjectURL(url);
  }

  return (
    <div className="stack">
      {children}
      <p className="alert alert-warning" role="note">
        {warning}
      </p>
      <code className="token-value" data-testid={testId}>
        {value}
      </code>
      <div className="row">
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
        {downloadName ? (
          <button type="button" className="button" onClick={() => download(downloadName)}>
            Download
          </button>
        ) : null}
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
