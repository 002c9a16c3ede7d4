type RoleFieldProps = { id: string; defaultValue?: string; errors?: string[]; hint?: string };

/** The role select shared by the create and edit dialogs. */
export function RoleField({ id, defaultValue, errors, hint }: RoleFieldProps) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, errors?.length ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>Role</label>
      <select id={id} name="role" defaultValue={defaultValue ?? "rep"} aria-describedby={describedBy || undefined} aria-invalid={errors?.length ? true : undefined}>
        <option value="rep">Service rep</option>
        <option value="admin">System admin</option>
      </select>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={errorId} className="field-error">
          {errors.join(" ")}
        </p>
      ) : null}
    </div>
  );
}
