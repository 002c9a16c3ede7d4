import { z } from "zod";

// Every table's primary key is a UUID, and zod's z.uuid() is the one definition of a well-formed
// one: schemas use it for ids in bodies and queries, and isUuid for ids in paths and cookies.
const uuid = z.uuid();

/** Whether `value` can be an id. A malformed id matches nothing: callers answer 404, never 500. */
export const isUuid = (value: string): boolean => uuid.safeParse(value).success;
