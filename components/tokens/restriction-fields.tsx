import type { PolicyView } from "@/components/tokens/expiration-field";
import { Field } from "@/components/ui/field";
import { TextField } from "@/components/ui/text-field";
import { RESTRICTION_LIMITS } from "@/lib/tokens/restriction-limits";

type RestrictionFieldsProps = {
  policy: PolicyView;
  /** The token's restrictions when editing (or copying); absent for a new token. */
  current?: { allowedCidrs?: string[] | null; rateLimitPerMinute?: number | null; validFrom?: string | null };
  /** What the person typed, put back after a refusal. */
  values: Record<string, string | undefined>;
  fieldErrors: Partial<Record<string, string[]>>;
};

/** `datetime-local` shows UTC here, as the hint says: the server reads it the same way. */
const utcLocal = (iso: string | null | undefined) => (iso ? iso.slice(0, 16) : "");

/**
 * "Allowed IP addresses", "Rate limit (requests per minute)" and "Valid from" (SPEC §12), in the
 * create and edit dialogs. Empty fields mean no restriction.
 */
export function RestrictionFields({ policy, current, values, fieldErrors }: RestrictionFieldsProps) {
  return (
    <fieldset className="stack restriction-fields">
      <legend>Restrictions</legend>
      <Field
        id="field-allowedIps"
        label="Allowed IP addresses"
        hint={`One IPv4 or IPv6 address or CIDR range per line, such as 203.0.113.7 or 2001:db8::/32, at most ${RESTRICTION_LIMITS.allowedCidrs}. Leave empty to allow any address.${
          policy.requireAllowlistForWrite
            ? ` Your organization requires them for tokens with write or admin permissions, in ranges no wider than /${policy.allowlistMinPrefixV4} (IPv4) and /${policy.allowlistMinPrefixV6} (IPv6).`
            : ""
        }`}
        errors={fieldErrors.allowedCidrs}
      >
        {(control) => (
          <textarea
            name="allowedIps"
            rows={3}
            spellCheck={false}
            autoComplete="off"
            className="mono"
            defaultValue={values.allowedIps ?? current?.allowedCidrs?.join("\n") ?? ""}
            {...control}
          />
        )}
      </Field>
      <TextField
        name="rateLimit"
        label="Rate limit (requests per minute)"
        type="number"
        inputMode="numeric"
        min={1}
        max={policy.maxRateLimitPerMinute}
        defaultValue={values.rateLimit ?? current?.rateLimitPerMinute?.toString() ?? ""}
        hint={`Leave empty for no limit of its own. At most ${policy.maxRateLimitPerMinute.toLocaleString("en-US")}.`}
        errors={fieldErrors.rateLimitPerMinute}
      />
      <TextField
        name="validFrom"
        label="Valid from"
        type="datetime-local"
        defaultValue={values.validFrom ?? utcLocal(current?.validFrom)}
        hint="In UTC. The token is refused before then; leave empty for at once."
        errors={fieldErrors.validFrom}
      />
    </fieldset>
  );
}
