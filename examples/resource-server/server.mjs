// An assessments API that trusts Tessera's tokens. POST /assessments needs assessments:write.
// It accepts an exchanged JWT, verified offline against Tessera's JWKS (no call per request),
// and — if INTROSPECTION_TOKEN is set — a PAT, checked online by introspection (RFC 7662).
import { createServer } from "node:http";
import { createRemoteJWKSet, jwtVerify } from "jose";

const ISSUER = process.env.TESSERA_ISSUER ?? "http://localhost:3000";
const AUDIENCE = process.env.AUDIENCE ?? "assessments-api"; // what clients pass as `audience`
// Tessera signs every organization's JWTs with the same keys: without this check, another
// organization's token for the same audience would be accepted here.
const ORGANIZATION = process.env.ORGANIZATION; // the slug of the organization this API serves
if (!ORGANIZATION) throw new Error("Set ORGANIZATION to the slug of the organization whose tokens this API accepts.");
const INTROSPECTION_TOKEN = process.env.INTROSPECTION_TOKEN; // a PAT with tokens:introspect
const REQUIRED = "assessments:write";

// RFC 8414 discovery: where the keys and the introspection endpoint are.
const metadata = await (await fetch(`${ISSUER}/.well-known/oauth-authorization-server`)).json();
if (metadata.issuer !== ISSUER) throw new Error(`Expected issuer ${ISSUER}, got ${metadata.issuer}`);
const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri)); // cached; refetched on an unknown kid

class Unavailable extends Error {}

async function verifyJwt(token) {
  const { payload } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: AUDIENCE, algorithms: ["ES256"], typ: "at+jwt" });
  if (payload.org !== ORGANIZATION) throw new Error("another organization's token");
  return payload;
}

async function introspect(token) {
  const response = await fetch(metadata.introspection_endpoint, {
    method: "POST",
    headers: { authorization: `Bearer ${INTROSPECTION_TOKEN}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  if (!response.ok) throw new Unavailable(`introspection answered ${response.status}`);
  const result = await response.json();
  // Tessera already answers inactive for other organizations' tokens; checking costs nothing.
  if (!result.active || result.org !== ORGANIZATION) throw new Error("inactive token");
  return result;
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
    claims = token.startsWith("tsr_") && INTROSPECTION_TOKEN ? await introspect(token) : await verifyJwt(token);
  } catch (error) {
    if (error instanceof Unavailable) return send(503, { error: "temporarily_unavailable" });
    return send(401, { error: "invalid_token" }, { "www-authenticate": 'Bearer error="invalid_token"' });
  }
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
