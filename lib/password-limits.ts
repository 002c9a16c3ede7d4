import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb, onDatabaseClosed } from "@/db";
import { rateLimits } from "@/db/schema";
import { getEnv } from "./env";

// One limit for every password check (sign-in and the sudo prompt), counted in the database so
// every app instance shares it:
// - per e-mail and client address: SIGN_IN_FAILURES_PER_MINUTE attempts a minute;
// - per account, from any address: three addresses' worth per five minutes, so guessing from
//   many addresses stays slow, while the real person is let in at most five minutes after an
//   attack stops.
// An attempt takes its point *before* the password is checked, in one atomic upsert, so parallel
// attempts cannot all pass a check that none of them has been counted in yet. A password that
// matches gives its points back.
const ACCOUNT_WINDOW_SECONDS = 300;
const ACCOUNT_ALLOWANCE = 3;

type Limiter = InstanceType<typeof RateLimiterDrizzle>;
type Limiters = { address: Limiter; account: Limiter };
const holder = globalThis as typeof globalThis & { __tesseraPasswordLimiters?: Promise<Limiters> };
onDatabaseClosed(() => {
  holder.__tesseraPasswordLimiters = undefined;
});

function limiters(): Promise<Limiters> {
  holder.__tesseraPasswordLimiters ??= getDb().then((db) => {
    const perMinute = getEnv().signInFailuresPerMinute;
    const limiter = (keyPrefix: string, points: number, duration: number) =>
      new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix, points, duration });
    return {
      address: limiter("password:address", perMinute, 60),
      account: limiter("password:account", perMinute * ACCOUNT_ALLOWANCE, ACCOUNT_WINDOW_SECONDS),
    };
  });
  return holder.__tesseraPasswordLimiters;
}

const addressKey = (email: string, ip: string | null) => `${email}|${ip ?? "unknown"}`;

export type PasswordAttempt = { ok: true } | { ok: false; retryAfterSeconds: number };

/** Takes one attempt at a password for this e-mail (an account or not) from this address. */
export async function takePasswordAttempt(email: string, ip: string | null): Promise<PasswordAttempt> {
  const { address, account } = await limiters();
  const byAddress = await consume(address, addressKey(email, ip));
  if (!byAddress.ok) return byAddress;
  const byAccount = await consume(account, email);
  // Refused attempts cost nothing: the address keeps its allowance for when the account reopens.
  if (!byAccount.ok) await address.reward(addressKey(email, ip), 1);
  return byAccount;
}

/**
 * Settles a taken attempt: a matching password clears this address's count and gives the
 * account its point back; a password that was never checked (the process was busy) gives both
 * back. A wrong password keeps its points.
 */
export async function settlePasswordAttempt(email: string, ip: string | null, outcome: "matched" | "not_checked"): Promise<void> {
  const { address, account } = await limiters();
  if (outcome === "matched") await address.delete(addressKey(email, ip));
  else await address.reward(addressKey(email, ip), 1);
  await account.reward(email, 1);
}

async function consume(limiter: Limiter, key: string): Promise<PasswordAttempt> {
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (error) {
    // rate-limiter-flexible rejects with a RateLimiterRes when the points are spent; anything
    // else is a database failure and goes up.
    if (!(error instanceof RateLimiterRes)) throw error;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)) };
  }
}
