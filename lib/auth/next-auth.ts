import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { cookies, headers } from "next/headers";
import { getEnv } from "@/lib/env";
import { requestContextFrom, servedOverHttps } from "@/lib/http/request-context";
import { endSession, SESSION_MAX_AGE_SECONDS } from "./session-store";
import { verifyCredentials, verifySecondFactor, type SecondFactorProof, type SignInResult } from "./sign-in";
import { cookieFrom, DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS } from "./sign-in-device";
import { SIGN_IN_TICKET_COOKIE, SIGN_IN_TICKET_SECONDS } from "./sign-in-ticket";

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

/** The second step's proof in the posted credentials, if they carry one (a code, or a passkey's answer). */
function secondFactorProof(credentials: Partial<Record<string, unknown>>): SecondFactorProof | null {
  const { code, passkey, ceremony } = credentials;
  if (typeof code === "string" && code !== "") return { code };
  if (typeof passkey !== "string" || typeof ceremony !== "string" || passkey.length > 16_384) return null;
  try {
    return { ceremony, response: JSON.parse(passkey) as Extract<SecondFactorProof, { ceremony: string }>["response"] };
  } catch {
    return { code: "invalid" };
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
      credentials: {
        email: { label: "Email" },
        password: { label: "Password", type: "password" },
        code: { label: "Authentication code" },
        // A passkey's answer (JSON) to the sign-in ceremony it names.
        passkey: {},
        ceremony: {},
      },
      // The only way in, for the login action and /api/auth/callback/credentials alike: a password,
      // then — for a person with a second factor — a code with the ticket the password step left.
      async authorize(credentials, request) {
        const context = requestContextFrom(request.headers);
        const proof = secondFactorProof(credentials);
        const result = proof
          ? await verifySecondFactor(proof, cookieFrom(request.headers, SIGN_IN_TICKET_COOKIE), context)
          : await verifyCredentials(credentials, context, cookieFrom(request.headers, DEVICE_COOKIE));
        // cookies() reaches the response in the login action and in /api/auth/callback/credentials alike.
        const jar = await cookies();
        const cookie = { httpOnly: true, sameSite: "lax", secure: servedOverHttps(request.headers), path: "/" } as const;
        if (!result.ok) {
          if (result.reason === "second_factor_required") {
            jar.set(SIGN_IN_TICKET_COOKIE, result.ticket, { ...cookie, maxAge: SIGN_IN_TICKET_SECONDS });
          }
          throw new SignInRefused(result.reason);
        }
        jar.delete(SIGN_IN_TICKET_COOKIE);
        // Remembers that this browser proved the password (lib/auth/sign-in-device.ts).
        jar.set(DEVICE_COOKIE, result.deviceCookie, { ...cookie, maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS });
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
