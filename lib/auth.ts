import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { getEnv } from "./env";
import { requestContextFrom } from "./request-context";
import { verifyCredentials, type SignInResult } from "./sign-in";

type Role = "admin" | "rep";

declare module "next-auth" {
  interface User {
    organizationId?: string;
    role?: Role;
  }
  interface Session {
    user: { id: string; organizationId: string; role: Role; signedInAt: number } & DefaultSession["user"];
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    userId?: string;
    organizationId?: string;
    role?: Role;
    /** Milliseconds since the epoch; sessions older than users.sessions_valid_after are over. */
    signedInAt?: number;
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
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
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
        const result = await verifyCredentials(credentials, requestContextFrom(request.headers));
        if (!result.ok) throw new SignInRefused(result.reason);
        const { identity } = result;
        return { id: identity.userId, organizationId: identity.organizationId, role: identity.role };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id && user.organizationId && user.role) {
        token.userId = user.id;
        token.organizationId = user.organizationId;
        token.role = user.role;
        token.signedInAt = Date.now();
      }
      return token;
    },
    session({ session, token }) {
      if (token.userId && token.organizationId && token.role) {
        session.user.id = token.userId;
        session.user.organizationId = token.organizationId;
        session.user.role = token.role;
        session.user.signedInAt = token.signedInAt ?? 0;
      }
      return session;
    },
  },
}));
