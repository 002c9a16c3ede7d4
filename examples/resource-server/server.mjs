// An assessments API of the "Enterprise REST API" application that trusts Tessera's tokens.
// POST /assessments needs assessments:write. It accepts an exchanged JWT, verified offline
// against Tessera's JWKS (no call per request), and a PAT, checked online by RFC 7662
// introspection, authenticated as the application itself (its client id and secret, HTTP Basic):
// Tessera then answers only for this application's tokens.
import { createServer } from "node:http";
import * as oauth from "oauth4webapi";
import { createRemoteJWKSet, jwtVerify } from "jose";
import ipaddr from "ipaddr.js";

const ISSUER = process.env.TESSERA_ISSUER ?? "http://localhost:3000";
// The application's audience, as shown on /admin/applications: Tessera puts it in `aud`.
const AUDIENCE = process.env.AUDIENCE ?? "https://api.enterprise.example";
// Tessera signs every organization's JWTs with the same keys, and two organizations may give an
// application the same audience: without this check, another organization's token would pass.
const ORGANIZATION = process.env.ORGANIZATION; // the slug of the organization this API serves
if (!ORGANIZATION) throw new Error("Set ORGANIZATION to the slug of the organization whose tokens this API accepts.");
const CLIENT_ID = process.env.CLIENT_ID; // the application's client id
const CLIENT_SECRET = process.env.CLIENT_SECRET; // one of its client secrets (tcs_…)
const REQUIRED = "assessments:write";
// How many proxies in front of this API append to X-Forwarded-For (0: the TCP peer is the client).
const TRUSTED_PROXY_HOPS = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);

// RFC 8414 discovery: where the keys and the introspection endpoint are.
const issuer = new URL(ISSUER);
const options = issuer.protocol === "http:" ? { [oauth.allowInsecureRequests]: true } : {};
const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: "oauth2" }));
const jwks = createRemoteJWKSet(new URL(as.jwks_uri)); // cached; refetched on an unknown kid
const client = CLIENT_ID ? { client_id: CLIENT_ID } : null;
const clientAuth = CLIENT_SECRET ? oauth.ClientSecretBasic(CLIENT_SECRET) : null;

class Unavailable extends Error {}

async function verifyJwt(token) {
  const { payload } = await jwtVerify(token, jwks, { issuer: as.issuer, audience: AUDIENCE, algorithms: ["ES256"], typ: "at+jwt" });
  if (payload.org !== ORGANIZATION) throw new Error("another organization's token");
  return payload;
}

async function introspect(token) {
  let result;
  try {
    const response = await oauth.introspectionRequest(as, client, clientAuth, token, options);
    result = await oauth.processIntrospectionResponse(as, client, response);
  } catch (error) {
    throw new Unavailable(`introspection failed: ${error.message}`);
  }
  // Tessera already answers inactive for other applications' and organizations' tokens; checking costs nothing.
  if (!result.active || result.org !== ORGANIZATION || result.aud !== AUDIENCE) throw new Error("inactive token");
  return result;
}

// The client's address: the TCP peer, or the entry the nearest trusted proxy appended.
function clientAddress(request) {
  const forwarded = String(request.headers["x-forwarded-for"] ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  const address = TRUSTED_PROXY_HOPS > 0 ? forwarded.at(-TRUSTED_PROXY_HOPS) : request.socket.remoteAddress;
  if (!address || !ipaddr.isValid(address)) return null;
  const parsed = ipaddr.parse(address);
  return parsed.kind() === "ipv6" && parsed.isIPv4MappedAddress() ? parsed.toIPv4Address() : parsed;
}

// A token with an allowlist (`allowed_cidrs`, in the introspection answer and in exchanged JWTs)
// may be used only from those addresses: Tessera tells, the resource server enforces.
function addressAllowed(claims, request) {
  if (!Array.isArray(claims.allowed_cidrs)) return true;
  const address = clientAddress(request);
  if (!address) return false;
  return claims.allowed_cidrs.some((cidr) => {
    const [network, bits] = ipaddr.parseCIDR(cidr);
    return network.kind() === address.kind() && address.match(network, bits);
  });
}

const server = createServer(async (request, response) => {
  const send = (status, body, headers = {}) => {
    response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };
  if (request.method !== "POST" || request.url !== "/assessments") return send(404, { error: "not_found" });
  const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
  let claims;
  try {
    if (!token) throw new Error("no token");
    claims = token.startsWith("tsr_") && clientAuth ? await introspect(token) : await verifyJwt(token);
  } catch (error) {
    if (error instanceof Unavailable) return send(503, { error: "temporarily_unavailable" });
    return send(401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
  }
  if (!addressAllowed(claims, request)) return send(403, { error: "ip_not_allowed" });
  if (
    !String(claims.scope ?? "")
      .split(" ")
      .includes(REQUIRED)
  ) {
    return send(403, { error: "insufficient_scope" }, { "www-authenticate": `Bearer error="insufficient_scope", scope="${REQUIRED}"` });
  }
  send(201, { created: true, org: claims.org, account_sid: claims.account_sid, sub: claims.sub });
});

server.listen(Number(process.env.PORT ?? 4000), "127.0.0.1", () => {
  console.log(`Assessments API listening on http://127.0.0.1:${server.address().port}`);
});
