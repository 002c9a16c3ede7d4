import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { getEnv } from "@/lib/env";
import { requestContextFrom, servedOverHttps } from "@/lib/http/request-context";
import { endSession, SESSION_MAX_AGE_SECONDS } from "./session-store";
import { verifyCredentials, type SignInResult } from "./sign-in";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, deviceCookieFrom } from "./sign-in-device";

// The cookie names a person and their server-side session, never an organization: each request
// asks for the membership of the organization in its URL (lib/auth/session.ts), so two tabs can
// work in two organizations at once.
declare module "next-auth" {
  interface User {
    sessionId?: string;
  }
  interface Session {
    user: { id: string; sessionId: string } & DefaultSession["user"];
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    personId?: string;
    /** The server-side session (lib/auth/session-store.ts); the cookie is worth nothing once it has ended. */
    sessionId?: string;
  }
}

export type SignInRefusal = Exclude<SignInResult, { ok: true }>["reason"];

/** Carries the refusal reason to the login action (Auth.js exposes it as `code`). */
class SignInRefused extends CredentialsSignin {
  constructor(reason: SignInRefusal) {
    super();
    this.code = reason;
  }
}

// Lazy configuration: the secret is read at request time, never while `next build` runs.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  secret: getEnv().authSecret,
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  logger: {
    // A refused sign-in is an expected outcome, already audited; it is not a server error.
    error(error: Error) {
      if (error instanceof CredentialsSignin) return;
      console.error(`[auth] ${error.name}: ${error.message}`);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { label: "Email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const result = await verifyCredentials(credentials, requestContextFrom(request.headers), deviceCookieFrom(request.headers));
        if (!result.ok) throw new SignInRefused(result.reason);
        // Remembers that this browser proved the password (lib/auth/sign-in-device.ts). cookies() reaches
        // the response in the login action and in /api/auth/callback/credentials alike.
        (await cookies()).set(DEVICE_COOKIE, result.deviceCookie, {
          httpOnly: true,
          sameSite: "lax",
          secure: servedOverHttps(request.headers),
          path: "/",
          maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
        });
        const { identity } = result;
        return { id: identity.personId, sessionId: identity.sessionId };
      },
    }),
  ],
  events: {
    // Every way out (the header's button, a POST to /api/auth/signout) ends the server-side
    // session, so a copy of the cookie dies with it.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (!token?.personId || !token.sessionId) return;
      await endSession({ personId: token.personId, sessionId: token.sessionId }, requestContextFrom(await headers()));
    },
  },
  callbacks: {
    jwt({ token, user }) {
      if (user?.id && user.sessionId) {
        token.personId = user.id;
        token.sessionId = user.sessionId;
      }
      return token;
    },
    session({ session, token }) {
      if (token.personId && token.sessionId) {
        session.user.id = token.personId;
        session.user.sessionId = token.sessionId;
      }
      return session;
    },
  },
}));
