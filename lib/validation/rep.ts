import { z } from "zod";
import { passwordSchema, userSchema } from "./user";

// Reps derive from the one user schema (STYLE rule 3). A blank password means "generate one".
export const createRepSchema = userSchema
  .pick({ username: true, email: true, displayName: true, role: true })
  .extend({ password: passwordSchema.optional() });
// Role is typed loosely on input (forms and JSON send strings); the schema decides.
export type CreateRepInput = Omit<z.input<typeof createRepSchema>, "role"> & { role: string };

export const updateRepSchema = userSchema.pick({ displayName: true, role: true }).extend({ active: z.boolean() }).partial();
export type UpdateRepInput = Omit<z.input<typeof updateRepSchema>, "role"> & { role?: string };

export const resetPasswordSchema = z.object({ password: passwordSchema.optional() });

const text = (formData: FormData, name: string) => {
  const value = formData.get(name);
  return typeof value === "string" ? value : "";
};
const blankToUndefined = (value: string) => (value.trim() === "" ? undefined : value);

/** The create form's fields; a blank password asks for a generated one. */
export function createRepFieldsFromForm(formData: FormData) {
  return {
    username: text(formData, "username"),
    email: text(formData, "email"),
    displayName: text(formData, "displayName"),
    role: text(formData, "role"),
    password: blankToUndefined(text(formData, "password")),
  };
}

/** The edit form's fields: all three are always submitted. */
export function updateRepFieldsFromForm(formData: FormData) {
  return {
    displayName: text(formData, "displayName"),
    role: text(formData, "role"),
    active: formData.get("active") === "on",
  };
}

/** What to put back in a rep form after a refusal (never the password). */
export function repFormValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of ["username", "email", "displayName", "role"]) values[key] = text(formData, key);
  values.active = formData.get("active") === "on" ? "on" : "";
  return values;
}
