import { z } from "zod";
import { OAuthError } from "./errors";
import type { OAuthForm } from "./form";
import { GRANT_TYPE_TOKEN_EXCHANGE, ISSUABLE_TOKEN_TYPES, TOKEN_TYPE_ACCESS_TOKEN, type IssuableTokenType } from "./vocabulary";

export type TokenExchangeRequest = {
  subjectToken: string;
  requestedTokenType: IssuableTokenType;
  scope: string | undefined;
  /** `audience` and `resource` values together: the JWT's `aud`. */
  targets: string[];
};

const MAX_TARGETS = 10;
// RFC 8707 §2: a resource is an absolute URI without a fragment.
const resourceIndicator = z.url().refine((value) => !value.includes("#"));
const audienceName = z
  .string()
  .max(512)
  .regex(/^[^\p{Cc}]+$/u);

/** Reads an RFC 8693 §2.1 request; throws the RFC 6749 §5.2 / RFC 8693 §2.2.2 error it deserves. */
export function parseTokenExchangeRequest(form: OAuthForm): TokenExchangeRequest {
  const grantType = form.single("grant_type");
  if (grantType === undefined) throw new OAuthError("invalid_request", "The grant_type parameter is missing.");
  if (grantType !== GRANT_TYPE_TOKEN_EXCHANGE) {
    throw new OAuthError("unsupported_grant_type", `Only ${GRANT_TYPE_TOKEN_EXCHANGE} is supported.`);
  }
  const subjectToken = form.single("subject_token");
  if (subjectToken === undefined) throw new OAuthError("invalid_request", "The subject_token parameter is missing.");
  const subjectTokenType = form.single("subject_token_type");
  if (subjectTokenType !== TOKEN_TYPE_ACCESS_TOKEN) {
    throw new OAuthError(
      "invalid_request",
      subjectTokenType === undefined
        ? "The subject_token_type parameter is missing."
        : `The subject_token must be a personal access token, with subject_token_type ${TOKEN_TYPE_ACCESS_TOKEN}.`,
    );
  }
  if (form.single("actor_token") !== undefined || form.single("actor_token_type") !== undefined) {
    throw new OAuthError("invalid_request", "Delegation (actor_token) is not supported.");
  }
  const requested = form.single("requested_token_type") ?? TOKEN_TYPE_ACCESS_TOKEN;
  if (!isIssuable(requested)) {
    throw new OAuthError("invalid_request", `The requested_token_type must be one of ${ISSUABLE_TOKEN_TYPES.join(", ")}.`);
  }
  return { subjectToken, requestedTokenType: requested, scope: form.single("scope"), targets: targetsOf(form) };
}

function targetsOf(form: OAuthForm): string[] {
  const resources = form.all("resource");
  const audiences = form.all("audience");
  if (resources.some((resource) => !resourceIndicator.safeParse(resource).success)) {
    throw new OAuthError("invalid_target", "A resource must be an absolute URI without a fragment (RFC 8707).");
  }
  if (audiences.some((audience) => !audienceName.safeParse(audience).success)) {
    throw new OAuthError("invalid_target", "An audience must be at most 512 printable characters.");
  }
  const targets = [...new Set([...audiences, ...resources])];
  if (targets.length > MAX_TARGETS) {
    throw new OAuthError("invalid_target", `Ask for at most ${MAX_TARGETS} audiences and resources together.`);
  }
  return targets;
}

function isIssuable(value: string): value is IssuableTokenType {
  return (ISSUABLE_TOKEN_TYPES as readonly string[]).includes(value);
}
