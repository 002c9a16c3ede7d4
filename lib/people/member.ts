import type { User } from "@/db/schema";

/** A membership with its person's e-mail address: what fixtures, seeds and the reps page deal in. */
export type Member = User & { email: string };
