import { authorizationServerMetadata } from "@/lib/oauth/metadata";

// GET /.well-known/oauth-authorization-server — RFC 8414 metadata: issuer, endpoints, JWKS, grants
export function GET(): Response {
  return Response.json(authorizationServerMetadata(), { headers: { "Cache-Control": "public, max-age=3600" } });
}

export const dynamic = "force-dynamic";
