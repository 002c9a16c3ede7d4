import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb, onDatabaseClosed } from "@/db";
import { rateLimits } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { processSingleton } from "@/lib/shared/process-singleton";

// The limits on password checks, counted in the database so every app instance shares them.
// Sign-in:
// - per client address, across all e-mails: ADDRESS_ATTEMPTS_PER_MINUTE, so one address cannot
//   fill the process's argon2 checks with a fresh e-mail per request;
// - per e-mail and client address: SIGN_IN_FAILURES_PER_MINUTE attempts a minute;
// - per account, from any address: three addresses' worth per five minutes, so guessing from
//   many addresses stays slow. A browser that signed in to this account before (its device
//   cookie, lib/auth/sign-in-device.ts) is exempt, so strangers cannot lock the owner out; it has a
//   bucket of its own instead (SIGN_IN_FAILURES_PER_MINUTE), so a stolen cookie is no free pass.
// The password prompt of a signed-in user: per session, SIGN_IN_FAILURES_PER_MINUTE a minute,
// and nothing a stranger can spend.
// The second factor at sign-in (lib/auth/second-factor.ts): per person, SIGN_IN_FAILURES_PER_MINUTE a
// minute and three times that per five minutes — a million six-digit codes stay out of reach — and
// per client address as above. Only someone who knows the password gets this far.
// An attempt takes its points *before* the password is checked, in one atomic upsert per bucket,
// so parallel attempts cannot all pass a check that none of them has been counted in yet.
const ACCOUNT_WINDOW_SECONDS = 300;
const ACCOUNT_ALLOWANCE = 3;
const ADDRESS_ATTEMPTS_PER_MINUTE = 30;

type Limiter = InstanceType<typeof RateLimiterDrizzle>;
type Limiters = Record<"client" | "address" | "account" | "device" | "session" | "secondFactor" | "secondFactorWindow", Limiter>;
const processLimiters = processSingleton<Promise<Limiters>>("passwordLimiters");
onDatabaseClosed(() => processLimiters.set(undefined));

function limiters(): Promise<Limiters> {
  return processLimiters.getOrCreate(() =>
    getDb().then((db) => {
      const perMinute = getEnv().signInFailuresPerMinute;
      const limiter = (keyPrefix: string, points: number, duration: number) =>
        new RateLimiterDrizzle({ storeClient: db, schema: rateLimits, keyPrefix, points, duration });
      return {
        client: limiter("password:client", ADDRESS_ATTEMPTS_PER_MINUTE, 60),
        address: limiter("password:address", perMinute, 60),
        account: limiter("password:account", perMinute * ACCOUNT_ALLOWANCE, ACCOUNT_WINDOW_SECONDS),
        device: limiter("password:device", perMinute, 60),
        session: limiter("password:session", perMinute, 60),
        secondFactor: limiter("second-factor:person", perMinute, 60),
        secondFactorWindow: limiter("second-factor:person-window", perMinute * ACCOUNT_ALLOWANCE, ACCOUNT_WINDOW_SECONDS),
      };
    }),
  );
}

/** One counter an attempt takes a point from; `onMatch`: what a matching password does to it. */
type Bucket = { limiter: Limiter; key: string; onMatch: "clear" | "refund" };

export type AttemptOutcome = "matched" | "not_checked";
export type PasswordAttempt = { ok: true; settle: (outcome: AttemptOutcome) => Promise<void> } | { ok: false; retryAfterSeconds: number };

/**
 * Takes one sign-in attempt for this e-mail (an account or not) from this address. `deviceId`:
 * the nonce of a valid device cookie for this e-mail, if the browser sent one.
 */
export async function takeSignInAttempt(email: string, ip: string | null, deviceId: string | null): Promise<PasswordAttempt> {
  const { client, address, account, device } = await limiters();
  const from = ip ?? "unknown";
  return take([
    { limiter: client, key: from, onMatch: "refund" },
    { limiter: address, key: `${email}|${from}`, onMatch: "clear" },
    deviceId === null ? { limiter: account, key: email, onMatch: "refund" } : { limiter: device, key: deviceId, onMatch: "clear" },
  ]);
}

/** Takes one attempt at the password prompt of a signed-in user, in this session. */
export async function takeConfirmationAttempt(personId: string, sessionId: string): Promise<PasswordAttempt> {
  const { session } = await limiters();
  return take([{ limiter: session, key: `${personId}|${sessionId}`, onMatch: "clear" }]);
}

/** Takes one attempt at the second factor of a sign-in whose password was right, for this person from this address. */
export async function takeSecondFactorAttempt(personId: string, ip: string | null): Promise<PasswordAttempt> {
  const { client, secondFactor, secondFactorWindow } = await limiters();
  return take([
    { limiter: client, key: ip ?? "unknown", onMatch: "refund" },
    { limiter: secondFactor, key: personId, onMatch: "clear" },
    { limiter: secondFactorWindow, key: personId, onMatch: "clear" },
  ]);
}

// A refused attempt gives back what it took, so an address keeps its allowance for when another
// bucket reopens; so does one the process was too busy to check. A wrong password keeps every point.
async function take(buckets: Bucket[]): Promise<PasswordAttempt> {
  for (const [index, bucket] of buckets.entries()) {
    const taken = await consume(bucket);
    if (taken.ok) continue;
    for (const earlier of buckets.slice(0, index)) await earlier.limiter.reward(earlier.key, 1);
    return taken;
  }
  return {
    ok: true,
    async settle(outcome) {
      for (const bucket of buckets) {
        if (outcome === "matched" && bucket.onMatch === "clear") await bucket.limiter.delete(bucket.key);
        else await bucket.limiter.reward(bucket.key, 1);
      }
    },
  };
}

async function consume({ limiter, key }: Bucket): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
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
