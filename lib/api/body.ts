import { z } from "zod";
import { ApiError, invalidRequest } from "./problem";
import { readLimitedText } from "./read-limited";

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads a JSON body of at most 64 KiB (413 beyond, counted while reading, so a lying
 * Content-Length cannot get more through) and validates it (422 with field errors).
 */
export async function readJson<T extends z.ZodType>(request: Request, schema: T, maxBytes = MAX_BODY_BYTES): Promise<z.infer<T>> {
  return parseJson(await readLimitedText(request, maxBytes, () => payloadTooLarge(maxBytes)), schema);
}

/** Parses a body already read (400 when it is not JSON; blank is `{}`) and validates it (422 with field errors). */
export function parseJson<T extends z.ZodType>(text: string, schema: T): z.infer<T> {
  let data: unknown = {};
  if (text.trim() !== "") {
    try {
      data = JSON.parse(text);
    } catch {
      throw new ApiError(400, "invalid_json", "Bad Request", "The request body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    const errors = { ...flat.fieldErrors, ...(flat.formErrors.length ? { body: flat.formErrors } : {}) };
    throw invalidRequest("The request body is invalid.", errors);
  }
  return parsed.data;
}

export const payloadTooLarge = (maxBytes: number) =>
  new ApiError(413, "payload_too_large", "Content Too Large", `The request body exceeds ${maxBytes} bytes.`);
