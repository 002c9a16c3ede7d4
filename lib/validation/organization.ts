import { z } from "zod";
import { noNul } from "./text";
import { emailSchema } from "./user";
import { SLUG_PATTERN } from "@/lib/shared/slug";
import { RESERVED_SLUG_MESSAGE, RESERVED_SLUGS } from "@/lib/organizations/slug";

export const organizationSchema = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(SLUG_PATTERN, { error: "Use 2–40 lowercase letters, digits or dashes." })
    .refine((slug) => !RESERVED_SLUGS.has(slug), { error: RESERVED_SLUG_MESSAGE }),
  name: z
    .string()
    .trim()
    .min(1, { error: "Enter a name." })
    .max(100)
    .refine(...noNul),
  adminEmail: emailSchema,
});
export type OrganizationInput = z.infer<typeof organizationSchema>;
