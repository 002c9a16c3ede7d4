import { z } from "zod";
import { ISSUABLE_TOKEN_TYPES } from "./vocabulary";

// The wire format of the OAuth endpoints; every response is shaped by one of these.

/** RFC 8693 §2.2.1. */
export const tokenExchangeOutput = z
  .object({
    access_token: z.string(),
    issued_token_type: z.enum(ISSUABLE_TOKEN_TYPES),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().positive(),
    scope: z.string(),
  })
  .meta({ id: "TokenExchangeResponse" });
export type TokenExchangeOutput = z.infer<typeof tokenExchangeOutput>;

const activeIntrospection = z.object({
  active: z.literal(true),
  scope: z.string(),
  client_id: z.string().meta({ description: "The account SID of the token." }),
  username: z.string(),
  sub: z.string().meta({ description: "The owning rep's user id." }),
  exp: z.number().int().optional().meta({ description: "Absent for a PAT that never expires." }),
  iat: z.number().int(),
  token_type: z.literal("Bearer"),
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]).meta({ description: "The audience of the token's application." }),
  jti: z.string().optional(),
  org: z.string().meta({ description: "The organization's slug." }),
  account_sid: z.string(),
  application: z.string().meta({ description: "The slug of the application the token is for." }),
  allowed_cidrs: z.array(z.string()).optional().meta({
    description:
      "The token's allowed IP addresses (CIDR ranges). Present only when it has an allowlist: a resource server must refuse requests from any other address.",
  }),
});

/** RFC 7662 §2.2: anything unusable, or of another organization, is exactly {"active": false}. */
export const introspectionOutput = z
  .discriminatedUnion("active", [activeIntrospection.strict(), z.object({ active: z.literal(false) }).strict()])
  .meta({ id: "IntrospectionResponse" });
export type IntrospectionOutput = z.infer<typeof introspectionOutput>;
export const INACTIVE: IntrospectionOutput = { active: false };
