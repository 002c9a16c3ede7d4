import { publishedSigningKeys } from "@/lib/oauth/signing-keys";

// GET /.well-known/jwks.json — the public keys that verify exchanged JWTs (current and recently superseded)
export async function GET(): Promise<Response> {
  return Response.json(
    { keys: await publishedSigningKeys() },
    // Short, so a resource server that sees an unknown kid after a rotation gets the new key soon.
    { headers: { "Cache-Control": "public, max-age=60" } },
  );
}

export const dynamic = "force-dynamic";
