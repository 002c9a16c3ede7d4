import { expect, test, type APIRequestContext } from "@playwright/test";
import { suffix } from "./helpers";

// The production server takes the client address from the TCP connection (scripts/server.mjs):
// a client naming other addresses in X-Forwarded-For is still the one client it is.

async function signInAttempt(request: APIRequestContext, email: string, password: string, forwardedFor: string) {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    headers: { "X-Forwarded-For": forwardedFor, "X-Tessera-Peer-Address": forwardedFor, "X-Real-IP": forwardedFor },
    maxRedirects: 0,
  });
  return new URL(response.headers()["location"] ?? "", "http://x").searchParams.get("code");
}

test("forged X-Forwarded-For addresses do not reset the sign-in limit", async ({ request }) => {
  const email = `forger-${suffix()}@acme.test`;
  const codes: (string | null)[] = [];
  for (let attempt = 1; attempt <= 8; attempt += 1) {
    codes.push(await signInAttempt(request, email, `wrong-${attempt}`, `203.0.113.${attempt}, 198.51.100.${attempt}`));
  }
  // SIGN_IN_FAILURES_PER_MINUTE is 5: the sixth attempt from this one client is refused.
  expect(codes.slice(0, 5)).toEqual(Array(5).fill("invalid_credentials"));
  expect(codes.slice(5)).toEqual(Array(3).fill("rate_limited"));
});
