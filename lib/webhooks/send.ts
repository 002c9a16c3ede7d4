import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isPublicAddress, webhookUrlProblem, type TargetPolicy } from "./target";

// One HTTP POST of a webhook delivery. Plain node:http(s), so that the address actually connected
// to is the one checked: the lookup below resolves the host and refuses the connection when any
// address it resolves to is not public (DNS rebinding: a name that was public when saved may point
// inside later, or alternate between answers). Redirects are never followed (a 3xx is a failed
// attempt, as with Stripe and Svix), and the response body is drained, never stored.

export const SEND_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

export type SendOutcome = { status: number | null; error: string | null; durationMs: number };

export class RefusedTargetError extends Error {
  override name = "RefusedTargetError";
}

/** A lookup that answers only public addresses, or fails the connection. */
export function guardedLookup(policy: TargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const refused = policy.allowPrivate ? undefined : addresses.find((entry) => !isPublicAddress(entry.address));
      if (refused || addresses.length === 0) {
        // Never which address: the log is read by admins, and it must not map the server's own network.
        const reason = refused ? `${hostname} resolves to a non-public address` : `${hostname} has no address`;
        return callback(new RefusedTargetError(reason), "", 0);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return first ? callback(null, first.address, first.family) : callback(new RefusedTargetError(`${hostname} has no address`), "", 0);
    });
  };
}

/** POSTs the body; never throws for what the receiver or the network does, only reports it. */
export async function postWebhook(url: string, body: string, headers: Record<string, string>, policy: TargetPolicy): Promise<SendOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const problem = webhookUrlProblem(url, policy);
  if (problem) return { status: null, error: `Refused URL: ${problem}`, durationMs: 0 };
  try {
    const status = await request(url, body, headers, policy);
    return { status, error: null, durationMs: elapsed() };
  } catch (error) {
    return { status: null, error: describe(error), durationMs: elapsed() };
  }
}

function request(url: string, body: string, headers: Record<string, string>, policy: TargetPolicy): Promise<number> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy),
        agent: false,
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        timeout: SEND_TIMEOUT_MS,
      },
      (res) => {
        let received = 0;
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on("close", () => resolve(res.statusCode ?? 0));
        res.on("error", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no response within ${SEND_TIMEOUT_MS / 1000} seconds`)));
    req.on("error", reject);
    req.end(body);
  });
}

// Coarse categories only: the text is shown to admins, and the resolver's or socket's own words
// would tell them about the network the server runs in.
function describe(error: unknown): string {
  if (error instanceof RefusedTargetError) return `Refused: ${error.message}.`;
  if (error instanceof Error && error.name === "AbortError") return `Timed out after ${SEND_TIMEOUT_MS / 1000} seconds.`;
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "The host name could not be resolved.";
  if (code.startsWith("ERR_TLS") || code.includes("CERT") || code === "EPROTO")
    return "The TLS handshake failed (certificate or protocol).";
  if (code === "ECONNRESET" || code === "EPIPE") return "The connection was reset.";
  if (error instanceof Error && /within \d+ seconds/.test(error.message)) return `Timed out after ${SEND_TIMEOUT_MS / 1000} seconds.`;
  return "The connection failed.";
}
