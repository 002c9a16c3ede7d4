import { handlers } from "@/lib/auth";

// GET|POST /api/auth/* — Auth.js session, CSRF and sign-in endpoints
export const { GET, POST } = handlers;
