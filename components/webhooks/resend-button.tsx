"use client";

import { useState } from "react";
import { useSudoAction } from "@/components/sudo-provider";
import { resendWebhookDeliveryAction } from "@/lib/actions/webhooks";

/** "Resend" on a delivered or failed delivery: one new attempt now, its outcome said beside it. */
export function ResendButton({ endpointId, deliveryId }: { endpointId: string; deliveryId: string }) {
  const resend = useSudoAction(resendWebhookDeliveryAction);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function run() {
    setPending(true);
    try {
      const state = await resend({ id: endpointId, deliveryId });
      setMessage(state.message ?? (state.ok ? "Sent." : "The delivery could not be sent."));
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <button type="button" className="button button-small" onClick={run} disabled={pending} aria-busy={pending}>
        Resend
      </button>
      <span role="status" className="small muted">
        {message}
      </span>
    </>
  );
}
