import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import {
  auditEventListOutput,
  auditEventListQuery,
  bulkRevokeBody,
  bulkRevokeOutput,
  createdTokenOutput,
  rotateBody,
  rotatedTokenOutput,
  tokenUsageOutput,
  revokeCredentialsBody,
  createTokenBody,
  meOutput,
  problemOutput,
  repListOutput,
  revokeTokenBody,
  tokenListOutput,
  tokenListQuery,
  tokenOutput,
  updateTokenBody,
} from "./schemas";
import {
  applicationListOutput,
  applicationOutput,
  createApplicationBody,
  createdClientSecretOutput,
  importBody,
  importOutput,
  updateApplicationBody,
} from "./application-schemas";
import { githubFindingsBody, githubLabelsOutput } from "./secret-scanning-schemas";
import {
  createdWebhookEndpointOutput,
  createWebhookBody,
  rotatedWebhookSecretOutput,
  updateWebhookBody,
  webhookDeliveryListOutput,
  webhookDeliveryListQuery,
  webhookDeliveryOutput,
  webhookEndpointListOutput,
  webhookEndpointOutput,
  webhookPayload,
} from "./webhook-schemas";

// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and
// shape responses (zod-openapi), so the reference cannot drift from the code.
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemOutput } },
});

const errors = (...statuses: (400 | 403 | 404 | 409 | 413 | 422)[]): ZodOpenApiResponsesObject => {
  const all: Record<number, ReturnType<typeof problem>> = {
    400: problem("Malformed request (bad JSON, token in the URL, a cursor this list did not issue)."),
    403: problem(
      "The token lacks the permission named in `detail` (insufficient_scope), or may not be used from the caller's address (ip_not_allowed).",
    ),
    404: problem("No such object in your organization (another organization's objects answer the same)."),
    409: problem("The object's state does not allow this change (e.g. revoked)."),
    413: problem("Body larger than 64 KiB."),
    422: problem("Invalid input; `errors` lists the fields."),
  };
  return {
    "401": problem(
      "Missing, malformed, unknown, expired, inactive or revoked token, or one before its valid-from time (one answer for all).",
    ),
    // Any token may be refused for its address (ip_not_allowed), whatever the route.
    ...Object.fromEntries([...new Set([...statuses, 403 as const])].sort().map((status) => [String(status), all[status]])),
    "429": problem(
      "Too many failed authentications from this address, or the token's own rate limit is spent (its RateLimit and RateLimit-Policy fields say how it stands); see Retry-After.",
    ),
    "503": problem("The database is unreachable; retry later."),
  };
};

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

const idParam = { path: z.object({ id: z.uuid().meta({ description: "Token id" }) }) };
const applicationParam = { path: z.object({ id: z.uuid().meta({ description: "Application id" }) }) };
const webhookParam = { path: z.object({ id: z.uuid().meta({ description: "Webhook endpoint id" }) }) };

const operation = (
  summary: string,
  permission: string | null,
  rest: Omit<ZodOpenApiOperationObject, "summary" | "responses"> & { responses: ZodOpenApiResponsesObject },
): ZodOpenApiOperationObject => ({
  summary,
  description: permission ? `Requires \`${permission}\`.` : "Any valid token.",
  ...rest,
});

export function buildOpenApiDocument(serverUrl: string) {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Tessera API",
      version: "1.0.0",
      description: [
        "Manage personal access tokens and verify them. Authenticate every call with a token in the",
        "`Authorization` header — never in the URL:",
        "",
        "```sh",
        `curl -H "Authorization: Bearer $TESSERA_TOKEN" ${serverUrl}/api/v1/me`,
        "```",
        "",
        "Errors are `application/problem+json` with a stable `code`. `tokens:read` and `tokens:write`",
        "act on the token owner's own tokens; `tokens:admin` on every token of the organization.",
      ].join("\n"),
    },
    servers: [{ url: serverUrl }],
    webhooks: {
      tokenEvent: {
        post: {
          summary: "A token event, POSTed to each subscribed endpoint (see /api/v1/webhooks)",
          description: [
            "Signed per the Standard Webhooks specification: `webhook-id` (the same on every retry; dedupe on it),",
            "`webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`, one per live",
            "secret, space-separated, for 24 hours after a rotation). Verify with a Standard Webhooks library and the",
            "endpoint's `whsec_…` secret. Answer 2xx within 10 seconds; anything else is retried 1, 2, 4 … 64 minutes later.",
          ].join(" "),
          requestParams: {
            header: z.object({
              "webhook-id": z.string(),
              "webhook-timestamp": z.string(),
              "webhook-signature": z.string(),
            }),
          },
          requestBody: { content: { "application/json": { schema: webhookPayload } } },
          responses: { "200": { description: "Any 2xx: delivered." } },
        },
      },
    },
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "A Tessera personal access token (tsr_…)." } },
    },
    paths: {
      "/api/v1/me": {
        get: operation("The calling token, its owner and organization", null, {
          responses: { "200": json(meOutput, "The caller."), ...errors() },
        }),
      },
      "/api/v1/tokens": {
        get: operation("List tokens", "tokens:read or tokens:admin", {
          requestParams: { query: tokenListQuery },
          responses: {
            "200": json(tokenListOutput, "A page of tokens; pass `next_cursor` as `cursor` for the next."),
            ...errors(400, 403, 422),
          },
        }),
        post: operation("Create a token", "tokens:write or tokens:admin", {
          requestBody: { content: { "application/json": { schema: createTokenBody } } },
          responses: { "201": json(createdTokenOutput, "Created; the value is in this response only."), ...errors(400, 403, 413, 422) },
        }),
      },
      "/api/v1/tokens/{id}": {
        get: operation("Get a token", "tokens:read or tokens:admin", {
          requestParams: idParam,
          responses: { "200": json(tokenOutput, "The token."), ...errors(403, 404) },
        }),
        patch: operation("Edit a token", "tokens:write or tokens:admin", {
          requestParams: idParam,
          requestBody: { content: { "application/json": { schema: updateTokenBody } } },
          responses: { "200": json(tokenOutput, "The edited token."), ...errors(400, 403, 404, 409, 413, 422) },
        }),
        delete: operation("Revoke a token (permanent)", "tokens:write or tokens:admin", {
          requestParams: idParam,
          requestBody: { content: { "application/json": { schema: revokeTokenBody } } },
          responses: { "200": json(tokenOutput, "The revoked token."), ...errors(403, 404, 409) },
        }),
      },
      "/api/v1/tokens/{id}/rotate": {
        post: operation("Regenerate a token's value", "tokens:write or tokens:admin", {
          requestParams: idParam,
          requestBody: { content: { "application/json": { schema: rotateBody } } },
          responses: {
            "201": json(rotatedTokenOutput, "The successor; the old value works until `previous.usable_until`."),
            ...errors(403, 404, 409, 422),
          },
        }),
      },
      "/api/v1/tokens/{id}/usage": {
        get: operation(
          "A token's usage: requests and failures per day, client addresses, last failures",
          "tokens:read, tokens:write or tokens:admin",
          {
            requestParams: idParam,
            responses: { "200": json(tokenUsageOutput, "The last 30 days."), ...errors(403, 404) },
          },
        ),
      },
      "/api/v1/credentials/revoke": {
        post: {
          summary: "Report leaked token values (no authentication)",
          description:
            "Like GitHub's credential revocation API: anyone who finds Tessera tokens exposed reports them. Matching usable tokens are revoked with reason “Reported leaked” and their owners and admins are told. Always 202, whatever matched; 10 reports a minute per address.",
          security: [],
          requestBody: { content: { "application/json": { schema: revokeCredentialsBody } } },
          responses: {
            "202": { description: "Received. Says nothing of what matched." },
            "400": problem("The body is not JSON."),
            "422": problem("Not a list of 1 to 1,000 strings; `errors` says why."),
            "429": problem("Too many reports from this address; see Retry-After."),
          },
        },
      },
      "/api/v1/secret-scanning/github": {
        post: {
          summary: "GitHub secret-scanning partner intake (signed by GitHub)",
          description:
            "GitHub's secret scanning reports Tessera token values it found in public. Authenticated by the `Github-Public-Key-Signature` header: an ECDSA P-256 / SHA-256 signature (DER, base64) over the exact body by the key `Github-Public-Key-Identifier` names among those configured in GITHUB_SECRET_SCANNING_KEYS. Matching tokens are deactivated (reversible; a rotated-out value has its grace ended), audited and their owners and admins told where the value was found. Refusals count against the address's limit of 10 reports a minute.",
          security: [],
          parameters: [
            { name: "Github-Public-Key-Identifier", in: "header", required: true, schema: { type: "string" } },
            { name: "Github-Public-Key-Signature", in: "header", required: true, schema: { type: "string" } },
          ],
          requestBody: { content: { "application/json": { schema: githubFindingsBody } } },
          responses: {
            "200": json(githubLabelsOutput, "GitHub's false-positive feedback, one entry per finding."),
            "400": problem("Signed, but not JSON."),
            "401": problem("Unsigned, an unknown key identifier, or a signature that does not match the body (one answer for all)."),
            "404": problem("GitHub secret scanning is not configured on this server."),
            "413": problem("Body larger than 1 MB."),
            "422": problem("Signed, but not a list of at most 1,000 findings; `errors` says why."),
            "429": problem("Too many refused reports from this address; see Retry-After."),
          },
        },
      },
      "/api/v1/tokens/self/rotate": {
        post: operation("Regenerate the calling token", null, {
          requestBody: { content: { "application/json": { schema: rotateBody } } },
          responses: {
            "201": json(rotatedTokenOutput, "The successor; the calling value works until `previous.usable_until`."),
            ...errors(409, 422),
          },
        }),
      },
      "/api/v1/tokens/revoke": {
        post: operation("Revoke tokens in bulk (by ids or by user_id)", "tokens:write or tokens:admin", {
          requestBody: { content: { "application/json": { schema: bulkRevokeBody } } },
          responses: { "200": json(bulkRevokeOutput, "What was revoked and how many ids were skipped."), ...errors(400, 403, 422) },
        }),
      },
      "/api/v1/oauth/introspect": {
        post: operation(
          "Introspect a token (RFC 7662)",
          "client credentials (HTTP Basic) of the token's application, or a Tessera API token with tokens:introspect",
          {
            requestBody: {
              content: {
                "application/x-www-form-urlencoded": {
                  schema: z.object({ token: z.string(), token_type_hint: z.string().optional() }),
                },
              },
            },
            responses: {
              "200": json(
                z.object({ active: z.boolean() }).loose(),
                '`{"active": false}` for anything unusable, of another application or of another organization; otherwise the token\'s claims.',
              ),
              ...errors(403),
            },
          },
        ),
      },
      "/api/v1/oauth/token": {
        post: {
          summary: "Exchange a token for a short-lived JWT (RFC 8693)",
          description: "The `subject_token` authenticates the request; no Authorization header. Errors follow RFC 6749 §5.2.",
          security: [],
          requestBody: {
            content: {
              "application/x-www-form-urlencoded": {
                schema: z.object({
                  grant_type: z.literal("urn:ietf:params:oauth:grant-type:token-exchange"),
                  subject_token: z.string(),
                  subject_token_type: z.literal("urn:ietf:params:oauth:token-type:access_token"),
                  scope: z.string().optional(),
                  audience: z.string().optional(),
                  resource: z.string().optional(),
                  requested_token_type: z.string().optional(),
                }),
              },
            },
          },
          responses: {
            "200": json(
              z.object({
                access_token: z.string(),
                issued_token_type: z.string(),
                token_type: z.literal("Bearer"),
                expires_in: z.number().int(),
                scope: z.string(),
              }),
              "The exchanged token.",
            ),
            "400": json(z.object({ error: z.string(), error_description: z.string().optional() }), "RFC 6749 error."),
          },
        },
      },
      "/api/v1/applications": {
        get: operation("List the organization's applications with their scopes and presets", "applications:read", {
          responses: { "200": json(applicationListOutput, "Every application, the built-in Tessera API first."), ...errors(403) },
        }),
        post: operation("Create an application", "applications:write", {
          requestBody: { content: { "application/json": { schema: createApplicationBody } } },
          responses: { "201": json(applicationOutput, "The application."), ...errors(400, 403, 413, 422) },
        }),
      },
      "/api/v1/applications/{id}": {
        get: operation("Get an application", "applications:read", {
          requestParams: applicationParam,
          responses: {
            "200": json(applicationOutput, "The application, with its client secrets (never their values)."),
            ...errors(403, 404),
          },
        }),
        patch: operation("Change an application: fields, scopes, presets, archive", "applications:write", {
          requestParams: applicationParam,
          requestBody: { content: { "application/json": { schema: updateApplicationBody } } },
          responses: {
            "200": json(applicationOutput, "The application."),
            ...errors(400, 403, 404, 409, 413, 422),
          },
        }),
      },
      "/api/v1/applications/{id}/import": {
        post: operation("Import the OAuth2 scopes of an OpenAPI 3 document into the catalog", "applications:write", {
          requestParams: applicationParam,
          requestBody: { content: { "application/json": { schema: importBody } } },
          responses: { "200": json(importOutput, "What changed (or, with dry_run, would change)."), ...errors(400, 403, 404, 413, 422) },
        }),
      },
      "/api/v1/applications/{id}/client-secrets": {
        post: operation("Create a client secret (at most two live)", "applications:write", {
          requestParams: applicationParam,
          responses: { "201": json(createdClientSecretOutput, "The secret, in this response only."), ...errors(403, 404, 409) },
        }),
      },
      "/api/v1/applications/{id}/client-secrets/{secretId}": {
        delete: operation("Revoke a client secret", "applications:write", {
          requestParams: { path: z.object({ id: z.uuid(), secretId: z.uuid() }) },
          responses: { "204": { description: "Revoked." }, ...errors(403, 404) },
        }),
      },
      "/api/v1/webhooks": {
        get: operation("List the organization's webhook endpoints", "tokens:admin", {
          responses: { "200": json(webhookEndpointListOutput, "Every endpoint, newest first (never a secret)."), ...errors(403) },
        }),
        post: operation("Add a webhook endpoint for token events, signed per the Standard Webhooks specification", "tokens:admin", {
          requestBody: { content: { "application/json": { schema: createWebhookBody } } },
          responses: {
            "201": json(createdWebhookEndpointOutput, "The endpoint, with its signing secret in this response only."),
            ...errors(400, 403, 409, 413, 422),
          },
        }),
      },
      "/api/v1/webhooks/{id}": {
        get: operation("Get a webhook endpoint", "tokens:admin", {
          requestParams: webhookParam,
          responses: { "200": json(webhookEndpointOutput, "The endpoint."), ...errors(403, 404) },
        }),
        patch: operation("Change a webhook endpoint: URL, description, events, active", "tokens:admin", {
          requestParams: webhookParam,
          requestBody: { content: { "application/json": { schema: updateWebhookBody } } },
          responses: { "200": json(webhookEndpointOutput, "The endpoint."), ...errors(400, 403, 404, 413, 422) },
        }),
        delete: operation("Delete a webhook endpoint with its delivery log", "tokens:admin", {
          requestParams: webhookParam,
          responses: { "204": { description: "Deleted." }, ...errors(403, 404) },
        }),
      },
      "/api/v1/webhooks/{id}/rotate-secret": {
        post: operation("Rotate the signing secret; the previous one keeps signing for 24 hours", "tokens:admin", {
          requestParams: webhookParam,
          responses: { "200": json(rotatedWebhookSecretOutput, "The new secret, in this response only."), ...errors(403, 404) },
        }),
      },
      "/api/v1/webhooks/{id}/test": {
        post: operation("Send a webhook.test event to the endpoint now", "tokens:admin", {
          requestParams: webhookParam,
          responses: { "201": json(webhookDeliveryOutput, "The delivery, after its first attempt."), ...errors(403, 404, 409) },
        }),
      },
      "/api/v1/webhooks/{id}/deliveries": {
        get: operation("List the endpoint's deliveries, newest first", "tokens:admin", {
          requestParams: { ...webhookParam, query: webhookDeliveryListQuery },
          responses: { "200": json(webhookDeliveryListOutput, "A page of deliveries."), ...errors(400, 403, 404, 422) },
        }),
      },
      "/api/v1/webhooks/{id}/deliveries/{deliveryId}/resend": {
        post: operation("Send a delivered or failed delivery again now (the same webhook-id)", "tokens:admin", {
          requestParams: { path: z.object({ id: z.uuid(), deliveryId: z.uuid() }) },
          responses: { "200": json(webhookDeliveryOutput, "The delivery, after the new attempt."), ...errors(403, 404, 409) },
        }),
      },
      "/api/v1/reps": {
        get: operation("List the organization's reps", "reps:read", {
          responses: { "200": json(repListOutput, "The reps."), ...errors(403) },
        }),
      },
      "/api/v1/audit-events": {
        get: operation("List audit events, newest first", "audit:read", {
          requestParams: { query: auditEventListQuery },
          responses: { "200": json(auditEventListOutput, "A page of events."), ...errors(400, 403, 422) },
        }),
      },
    },
  });
}
