import { z } from "zod";

// The fields the console's buttons send alongside (or instead of) what a person types: row ids,
// switches and reasons. Anything else arrives by a direct POST and is refused as malformed.

/** A row id; the data layer answers "not found" for one that names nothing the actor reaches. */
export const idField = z.string().max(100);

export const idsField = z.array(idField).max(500);

/** A switch, sent as "true" or "false". */
export const switchField = z.enum(["true", "false"]).transform((value) => value === "true");

export const reasonField = z.string().max(2000).optional();

/** One field's value as zod should see it: absent is undefined, a file stays a file (and fails). */
export const fieldOf = (formData: FormData, name: string) => formData.get(name) ?? undefined;
