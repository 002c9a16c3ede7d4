import { z } from "zod";
import { TOKEN_LIMITS } from "@/lib/validation/token";

// The fields the console's buttons send alongside (or instead of) what a person types: row ids,
// switches and reasons. Anything else arrives by a direct POST and is refused as malformed.

/** A row id; the data layer answers "not found" for one that names nothing the actor reaches. */
export const idField = z.string().max(100);

export const idsField = z.array(idField).max(TOKEN_LIMITS.bulkRevoke);

/** A switch, sent as "true" or "false". */
export const switchField = z.enum(["true", "false"]).transform((value) => value === "true");

// No length check here: lib/tokens/revoke.ts holds the one limit and answers with a message.
export const reasonField = z.string().optional();

/** One field's value as zod should see it: absent is undefined, a file stays a file (and fails). */
export const fieldOf = (formData: FormData, name: string) => formData.get(name) ?? undefined;
