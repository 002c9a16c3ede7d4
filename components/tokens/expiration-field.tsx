"use client";

import { useId, useState } from "react";
import { formatDate } from "@/components/ui/dates";
import { Field } from "@/components/ui/field";
import { addDays, endOfUtcDay } from "@/lib/shared/time";

export type PolicyView = {
  maxLifetimeDays: number | null;
  requireExpiration: boolean;
  defaultLifetimeDays: number | null;
  maxRateLimitPerMinute: number;
  requireAllowlistForWrite: boolean;
  allowlistMinPrefixV4: number;
  allowlistMinPrefixV6: number;
};

type ExpirationFieldProps = {
  policy: PolicyView;
  now: string;
  errors?: string[];
  /** Editing offers "Keep current" and starts there. */
  current?: string | null;
  /** Editing: the token's creation, from which the policy's maximum lifetime counts. */
  createdAt?: string;
  initialChoice?: string;
  initialDate?: string;
};

const PRESET_DAYS = [7, 30, 60, 90];
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** Expiration presets, a custom date, and "No expiration" unless the policy requires one. */
export function ExpirationField({ policy, now, errors, current, createdAt, initialChoice, initialDate }: ExpirationFieldProps) {
  const id = useId();
  const today = new Date(now);
  const max = policy.maxLifetimeDays;
  const latest = max === null ? null : endOfUtcDay(addDays(createdAt ? new Date(createdAt) : today, max));
  const presets = PRESET_DAYS.filter((days) => latest === null || addDays(today, days).getTime() <= latest.getTime());
  const mustExpire = policy.requireExpiration || max !== null;
  const fallback = presets.includes(policy.defaultLifetimeDays ?? -1)
    ? String(policy.defaultLifetimeDays)
    : String(presets[presets.length - 1] ?? "custom");
  const [choice, setChoice] = useState(initialChoice ?? (current !== undefined ? "keep" : fallback));
  const maxDate = latest === null ? undefined : isoDate(latest);

  const summary =
    choice === "keep"
      ? current
        ? `Currently expires on ${formatDate(current)}.`
        : "Currently never expires."
      : choice === "never"
        ? "The token will never expire."
        : choice === "custom"
          ? "The token expires at the end of the chosen day (UTC)."
          : `The token will expire on ${formatDate(addDays(today, Number(choice)).toISOString())}.`;

  const hint = (
    <>
      {summary}
      {max !== null ? ` Your organization allows at most ${max} days` : ""}
      {max !== null && createdAt && latest ? ` from creation: until ${formatDate(latest.toISOString())}.` : max !== null ? "." : ""}
      {choice === "never" ? " Tokens without an expiration are a risk if they leak." : ""}
    </>
  );
  return (
    <Field id={`${id}-choice`} label="Expiration" hint={hint} errors={errors}>
      {(control) => (
        <>
          <select name="expiration" value={choice} onChange={(event) => setChoice(event.target.value)} {...control}>
            {current !== undefined ? <option value="keep">Keep current</option> : null}
            {presets.map((days) => (
              <option key={days} value={String(days)}>
                {days} days
              </option>
            ))}
            <option value="custom">Custom date…</option>
            {mustExpire ? null : <option value="never">No expiration</option>}
          </select>
          {choice === "custom" ? (
            <div className="field">
              <label htmlFor={`${id}-date`}>Custom expiration date</label>
              <input
                id={`${id}-date`}
                type="date"
                name="expiresOn"
                required
                defaultValue={initialDate}
                min={isoDate(addDays(today, 1))}
                max={maxDate}
              />
            </div>
          ) : null}
        </>
      )}
    </Field>
  );
}
