"use client";

import { FormOutcome } from "@/components/ui/form-parts";
import { useSudoFormAction } from "@/components/sudo-provider";
import { TextField } from "@/components/ui/text-field";
import { initialFormState } from "@/lib/actions/form-state";
import { updateTokenPolicyAction } from "@/lib/actions/settings";
import type { TokenPolicy } from "@/lib/organizations/policy";

/** The organization's token policy. Stricter settings flag existing tokens; they revoke nothing. */
export function PolicyForm({ policy }: { policy: TokenPolicy }) {
  const [state, onSubmit, pending, form] = useSudoFormAction(updateTokenPolicyAction, initialFormState);
  const values = state.values ?? {};
  const requireExpiration = values.requireExpiration === undefined ? policy.requireExpiration : values.requireExpiration === "on";
  return (
    <form ref={form} onSubmit={onSubmit} className="card stack policy-form" noValidate aria-label="Token policy">
      <FormOutcome state={state} />
      <TextField
        id="policy-max-lifetime"
        name="maxLifetimeDays"
        label="Maximum lifetime (days)"
        inputMode="numeric"
        defaultValue={values.maxLifetimeDays ?? policy.maxLifetimeDays?.toString() ?? ""}
        hint="Leave blank for no maximum. With a maximum, every token must expire within it."
        errors={state.fieldErrors.maxLifetimeDays}
      />
      <div className="field">
        <label className="checkbox-inline" htmlFor="policy-require-expiration">
          <input
            id="policy-require-expiration"
            type="checkbox"
            name="requireExpiration"
            defaultChecked={requireExpiration}
            aria-describedby="policy-require-expiration-hint"
          />
          Require an expiration
        </label>
        <p id="policy-require-expiration-hint" className="field-hint">
          New and edited tokens cannot be set to never expire.
        </p>
      </div>
      <TextField
        id="policy-default-lifetime"
        name="defaultLifetimeDays"
        label="Default lifetime (days)"
        inputMode="numeric"
        defaultValue={values.defaultLifetimeDays ?? policy.defaultLifetimeDays?.toString() ?? ""}
        hint="What the create dialog proposes. Leave blank for no default (only when expiration is optional)."
        errors={state.fieldErrors.defaultLifetimeDays}
      />
      <TextField
        id="policy-notice-days"
        name="expiryNoticeDays"
        label="Expiry notices (days before)"
        defaultValue={values.expiryNoticeDays ?? policy.expiryNoticeDays.join(", ")}
        hint="Owners (and the admin who created the token) get a mail this many days before it expires, e.g. “7, 1”. Leave blank for none."
        errors={state.fieldErrors.expiryNoticeDays}
      />
      <TextField
        id="policy-max-grace"
        name="maxGraceDays"
        label="Maximum grace period (days)"
        inputMode="numeric"
        defaultValue={values.maxGraceDays ?? policy.maxGraceDays.toString()}
        hint="How long a regenerated token's old value may keep working. 0: it always stops at once."
        errors={state.fieldErrors.maxGraceDays}
      />
      <div className="field">
        <label className="checkbox-inline" htmlFor="policy-deactivate-successor">
          <input
            id="policy-deactivate-successor"
            type="checkbox"
            name="deactivateSuccessorOnReuse"
            defaultChecked={
              values.deactivateSuccessorOnReuse === undefined
                ? policy.deactivateSuccessorOnReuse
                : values.deactivateSuccessorOnReuse === "on"
            }
            aria-describedby="policy-deactivate-successor-hint"
          />
          Deactivate a token when its old value is reused
        </label>
        <p id="policy-deactivate-successor-hint" className="field-hint">
          An old value used after its grace period is always refused, and the owner and admins are told. With this, the current value is
          switched off too, until someone reactivates it.
        </p>
      </div>
      <TextField
        id="policy-revoke-unused"
        name="revokeUnusedAfterDays"
        label="Revoke tokens unused for (days)"
        inputMode="numeric"
        defaultValue={values.revokeUnusedAfterDays ?? policy.revokeUnusedAfterDays?.toString() ?? ""}
        hint="Leave blank to keep unused tokens. Owners are told a week before; a use in that week keeps the token."
        errors={state.fieldErrors.revokeUnusedAfterDays}
      />
      <TextField
        id="policy-max-rate-limit"
        name="maxRateLimitPerMinute"
        label="Maximum rate limit (requests per minute)"
        inputMode="numeric"
        defaultValue={values.maxRateLimitPerMinute ?? policy.maxRateLimitPerMinute.toString()}
        hint="The highest “Rate limit (requests per minute)” a token may be given."
        errors={state.fieldErrors.maxRateLimitPerMinute}
      />
      <div className="field">
        <label className="checkbox-inline" htmlFor="policy-require-allowlist">
          <input
            id="policy-require-allowlist"
            type="checkbox"
            name="requireAllowlistForWrite"
            defaultChecked={
              values.requireAllowlistForWrite === undefined ? policy.requireAllowlistForWrite : values.requireAllowlistForWrite === "on"
            }
            aria-describedby="policy-require-allowlist-hint"
          />
          Require allowed IP addresses for tokens with write or admin permissions
        </label>
        <p id="policy-require-allowlist-hint" className="field-hint">
          New tokens holding any “:write” or “:admin” permission, and tokens whose permissions or addresses change, must list the addresses
          they may be used from. Existing tokens keep working and are flagged “Outside policy”.
        </p>
      </div>
      <div className="row">
        <TextField
          id="policy-allowlist-v4"
          name="allowlistMinPrefixV4"
          label="Widest IPv4 range (prefix length)"
          inputMode="numeric"
          defaultValue={values.allowlistMinPrefixV4 ?? policy.allowlistMinPrefixV4.toString()}
          hint="Under the requirement above, ranges wider than this (a shorter prefix) do not count: 8 allows 10.0.0.0/8."
          errors={state.fieldErrors.allowlistMinPrefixV4}
        />
        <TextField
          id="policy-allowlist-v6"
          name="allowlistMinPrefixV6"
          label="Widest IPv6 range (prefix length)"
          inputMode="numeric"
          defaultValue={values.allowlistMinPrefixV6 ?? policy.allowlistMinPrefixV6.toString()}
          hint="32 allows 2001:db8::/32."
          errors={state.fieldErrors.allowlistMinPrefixV6}
        />
      </div>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Saving…" : "Save policy"}
        </button>
      </div>
    </form>
  );
}
