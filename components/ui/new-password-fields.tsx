import { TextField } from "@/components/ui/text-field";
import type { FieldErrors } from "@/lib/shared/errors";

/** "New password" and "Confirm new password", as the reset link's page and /account ask for them. */
export function NewPasswordFields({ errors, autoFocus = false }: { errors: FieldErrors; autoFocus?: boolean }) {
  return (
    <>
      <TextField
        name="password"
        label="New password"
        type="password"
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        hint="At least 12 characters."
        errors={errors.password}
      />
      <TextField
        name="confirmation"
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        required
        errors={errors.confirmation}
      />
    </>
  );
}
