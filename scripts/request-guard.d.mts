import type { IncomingHttpHeaders } from "node:http";

export function hasMalformedPath(target: string | undefined): boolean;
export function isValidHost(host: string | undefined): boolean;
export function refusal(method: string | undefined, target: string | undefined, headers: IncomingHttpHeaders): [number, string] | null;
export function normalizeHeaders(headers: IncomingHttpHeaders, trustedHops: number): IncomingHttpHeaders;
export function trustedProxyHops(value: string | undefined): number;
