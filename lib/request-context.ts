import type { RequestContext } from "./audit";

/**
 * The client address and user agent, for audit events and rate limits. The right-most
 * x-forwarded-for entry is the one added by the nearest hop (Next.js itself, or the one proxy
 * in front of it); entries to its left come from the client and can be forged.
 */
export function requestContextFrom(headers: Headers): RequestContext {
  const hops = headers.get("x-forwarded-for")?.split(",") ?? [];
  const nearest = hops[hops.length - 1]?.trim();
  const ip = nearest || headers.get("x-real-ip")?.trim() || null;
  return { ip, userAgent: headers.get("user-agent") };
}
