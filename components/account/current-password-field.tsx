import { TextField } from "@/components/ui/text-field";

/** "Current password": what every change to a person's own sign-in on /account asks for first. */
export function CurrentPasswordField({
  id,
  errors,
  hint,
  autoFocus,
}: {
  id?: string;
  errors?: string[];
  hint?: string;
  autoFocus?: boolean;
}) {
  return (
    <TextField
      id={id}
      name="currentPassword"
      label="Current password"
      type="password"
      autoComplete="current-password"
      required
      autoFocus={autoFocus}
      hint={hint}
      errors={errors}
    />
  );
}
