import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/next-auth";
import { getCurrentPerson } from "@/lib/auth/session";

// GET|POST /api/auth/* — Auth.js session, CSRF and sign-in endpoints. Auth.js's own session
// endpoint only decrypts the cookie; it answers as signed out unless the server-side session is
// still live (a copy of the cookie after sign-out must not read as signed in anywhere).
export async function GET(request: NextRequest) {
  if (request.nextUrl.pathname === "/api/auth/session" && (await getCurrentPerson()) === null) {
    return Response.json(null, { headers: { "Cache-Control": "no-store" } });
  }
  return handlers.GET(request);
}

export const { POST } = handlers;
