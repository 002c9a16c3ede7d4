import { Field } from "@/components/ui/field";

type RoleFieldProps = { id: string; defaultValue?: string; errors?: string[]; hint?: string };

/** The role select shared by the create and edit dialogs. */
export function RoleField({ id, defaultValue, errors, hint }: RoleFieldProps) {
  return (
    <Field id={id} label="Role" hint={hint} errors={errors}>
      {(control) => (
        <select name="role" defaultValue={defaultValue ?? "rep"} {...control}>
          <option value="rep">Service rep</option>
          <option value="admin">System admin</option>
        </select>
      )}
    </Field>
  );
}
