"use client";

import Link from "next/link";
import { FormOutcome } from "@/components/ui/form-parts";
import { useSudoFormAction } from "@/components/sudo-provider";
import { initialFormState } from "@/lib/actions/form-state";
import { updateTwoFactorPolicyAction } from "@/lib/actions/settings";
import type { TwoFactorPolicy } from "@/lib/organizations/two-factor-policy";

const CHOICES: { value: TwoFactorPolicy; label: string; hint: string }[] = [
  { value: "off", label: "Do not require two-factor authentication", hint: "Each person decides for their own account." },
  {
    value: "admins",
    label: "Require two-factor authentication for admins",
    hint: "Admins without a second factor cannot open this organization's console until they set one up on their account page.",
  },
  {
    value: "everyone",
    label: "Require two-factor authentication for everyone",
    hint: "Every member needs a second factor to open the console. API tokens keep working either way.",
  },
];

/** "Two-factor authentication" in the organization's settings (SPEC §14). */
export function TwoFactorPolicyForm({ policy, membersWithout }: { policy: TwoFactorPolicy; membersWithout: number }) {
  const [state, onSubmit, pending, form] = useSudoFormAction(updateTwoFactorPolicyAction, initialFormState);
  const errors = state.fieldErrors.twoFactorPolicy;
  return (
    <form ref={form} onSubmit={onSubmit} className="card stack" noValidate aria-label="Two-factor authentication policy">
      <FormOutcome state={state} />
      <fieldset className="stack" aria-describedby={errors ? "two-factor-policy-error" : undefined}>
        <legend>Two-factor authentication</legend>
        {CHOICES.map((choice) => (
          <div key={choice.value} className="field">
            <label className="checkbox-inline" htmlFor={`two-factor-policy-${choice.value}`}>
              <input
                id={`two-factor-policy-${choice.value}`}
                type="radio"
                name="twoFactorPolicy"
                value={choice.value}
                defaultChecked={policy === choice.value}
                aria-describedby={`two-factor-policy-${choice.value}-hint`}
              />
              {choice.label}
            </label>
            <p id={`two-factor-policy-${choice.value}-hint`} className="field-hint">
              {choice.hint}
            </p>
          </div>
        ))}
        {errors ? (
          <p id="two-factor-policy-error" className="field-error">
            {errors.join(" ")}
          </p>
        ) : null}
      </fieldset>
      <p className="muted">
        Your own second factor is set up on your <Link href="/account#two-factor">account page</Link>.
      </p>
      {membersWithout > 0 ? (
        <p className="muted" role="status">
          {membersWithout === 1 ? "1 member has" : `${membersWithout} members have`} no second factor yet and cannot open the console until
          they set one up.
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
          {pending ? "Saving…" : "Save two-factor policy"}
        </button>
      </div>
    </form>
  );
}
