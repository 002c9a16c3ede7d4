"use client";

import { OneTimeSecret } from "@/components/ui/one-time-secret";

type TokenSecretProps = { value: string; description: string; accountSid?: string; onDone: () => void };

/** The one-time display of a token value, with Copy and Download (a .txt named after the description). */
export function TokenSecret({ value, description, accountSid, onDone }: TokenSecretProps) {
  return (
    <OneTimeSecret
      value={value}
      testId="token-value"
      downloadName={fileNameFor(description)}
      warning="Copy this token now. It will not be shown again: Tessera keeps only a hash of it."
      onDone={onDone}
    >
      {accountSid ? (
        <p className="muted">
          Account SID <code>{accountSid}</code>
        </p>
      ) : null}
    </OneTimeSecret>
  );
}

function fileNameFor(description: string): string {
  const slug = description
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return slug || "token";
}
