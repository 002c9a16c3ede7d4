"use client";

import { OneTimeSecret } from "@/components/ui/one-time-secret";

/** An endpoint's signing secret, shown once (after adding the endpoint or rotating its secret). */
export function EndpointSecret({ secret, note, onDone }: { secret: string; note: string; onDone: () => void }) {
  return (
    <OneTimeSecret
      value={secret}
      testId="webhook-secret"
      warning="Copy this signing secret now and give it to your receiver. It will not be shown again."
      onDone={onDone}
    >
      <p role="status" className="alert alert-success">
        {note}
      </p>
      <p className="muted">
        Verify each delivery with a Standard Webhooks library, e.g. <code>new Webhook(secret).verify(body, headers)</code>.
      </p>
    </OneTimeSecret>
  );
}
