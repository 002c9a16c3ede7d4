"use client";

import { OneTimeSecret } from "@/components/ui/one-time-secret";

type OneTimePasswordProps = { username: string; password: string; generated: boolean; onDone: () => void };

/** A new or reset password, shown once so the admin can hand it over; Tessera keeps only a hash. */
export function OneTimePassword({ username, password, generated, onDone }: OneTimePasswordProps) {
  return (
    <OneTimeSecret
      value={password}
      testId="one-time-password"
      onDone={onDone}
      warning={
        <>
          {generated ? "A password was generated" : "The password is set"} for <strong>{username}</strong>. Give it to them over a safe
          channel now: it will not be shown again.
        </>
      }
    />
  );
}
