import { z } from "zod";
import { ROLES } from "@/lib/permissions/catalog";
import { noNul } from "./text";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid e-mail address." }).max(254));

export const passwordSchema = z
  .string()
  .min(12, { error: "Use at least 12 characters." })
  .max(200, { error: "Use at most 200 characters." });

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, {
    error: "Use 2–63 lowercase letters, digits, dots, dashes or underscores.",
  });

export const userSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  displayName: z
    .string()
    .trim()
    .min(1, { error: "Enter a name." })
    .max(100)
    .refine(...noNul)
    .refine((name) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name), {
      error: "Use one line of text, without control characters.",
    }),
  role: z.enum(ROLES),
  password: passwordSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  // Sign-in does not apply the creation rules: any non-empty password is checked.
  password: z.string().min(1, { error: "Enter your password." }).max(200),
});
export type SignInInput = z.infer<typeof signInSchema>;
