import { buildOpenApiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json — the API description, generated from the zod schemas
export function GET(request: Request): Response {
  const origin = new URL(request.url).origin;
  return Response.json(buildOpenApiDocument(origin), { headers: { "Cache-Control": "public, max-age=300" } });
}
