import { OAuthError } from "./errors";
import { readLimitedText } from "@/lib/api/read-limited";

const MAX_FORM_BYTES = 16 * 1024;

/** The parameters of an OAuth request body, with RFC 6749's rules for reading them. */
export type OAuthForm = {
  /** The one value of a parameter; a repeated parameter is an invalid_request (RFC 6749 §3.2). */
  single(name: string): string | undefined;
  /** Every value of a parameter that may repeat (RFC 8693 `audience` and `resource`). */
  all(name: string): string[];
};

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §4.1.3, RFC 7662 §2.1) of at
 * most 16 KiB, counted while reading so a lying Content-Length gets no further. Parameters sent
 * without a value are treated as omitted (RFC 6749 §3.1).
 */
export async function readOAuthForm(request: Request): Promise<OAuthForm> {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "Send the parameters as application/x-www-form-urlencoded.");
  }
  const params = new URLSearchParams(await readLimitedText(request, MAX_FORM_BYTES, tooLarge));
  const values = (name: string) => params.getAll(name).filter((value) => value !== "");
  return {
    single(name) {
      const found = values(name);
      if (found.length > 1) throw new OAuthError("invalid_request", `The parameter ${name} is repeated.`);
      return found[0];
    },
    all: values,
  };
}

const tooLarge = () => new OAuthError("invalid_request", `The request body exceeds ${MAX_FORM_BYTES} bytes.`, 413);
