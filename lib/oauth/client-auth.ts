import { handleAuthFailure } from "@/lib/api/auth-failures";
import { authenticateClient, type ClientApplication } from "@/lib/applications/client-secrets";
import type { RequestContext } from "@/lib/http/request-context";
import { OAuthError } from "./errors";

const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;

/** Whether a request authenticates with HTTP Basic client credentials (RFC 6749 §2.3.1). */
export const usesBasicAuth = (request: Request) => /^basic\s/i.test(request.headers.get("authorization")?.trim() ?? "");

// RFC 6749 §5.2: a failed client authentication over Basic is 401 with the scheme to use.
const invalidClient = () =>
  new OAuthError("invalid_client", "Client authentication failed.", 401, { "WWW-Authenticate": 'Basic realm="tessera", charset="UTF-8"' });

/**
 * The application whose client credentials the request carries. Every failure — malformed
 * header, unknown client, wrong or revoked secret — is the same invalid_client, and counts
 * against the address like a failed token (lib/api/auth-failures.ts): a blocked address gets 429.
 */
export async function authenticateClientRequest(request: Request, context: RequestContext, now = new Date()): Promise<ClientApplication> {
  const credentials = parseBasic(request.headers.get("authorization")?.trim() ?? "");
  const client = credentials ? await authenticateClient(credentials.clientId, credentials.clientSecret, now) : null;
  if (client) return client;
  const wait = await handleAuthFailure({ ok: false, reason: "invalid_client" }, context, now);
  if (wait > 0) {
    throw new OAuthError("invalid_client", "Too many failed authentications from this address. Try again later.", 429, {
      "Retry-After": String(wait),
    });
  }
  throw invalidClient();
}

/** RFC 6749 §2.3.1: base64 of form-urlencoded client id and secret, joined by a colon. */
function parseBasic(header: string): { clientId: string; clientSecret: string } | null {
  const match = BASIC.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  try {
    const formDecode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
    return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}
