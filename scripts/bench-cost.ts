// `npm run bench:cost -- [--requests 10000] [--warmup 500] [--rounds 10] [--connections 8] [--port 3510]`:
// what each kind of API request costs in CPU, on PostgreSQL, against the production build (run
// `npm run build` first). Every case sends a fixed number of requests through autocannon on
// 127.0.0.1 at fixed concurrency, and the CPU time (utime + stime from /proc/<pid>/stat) is read
// before and after of (a) every process in the server's process group and (b) the PostgreSQL
// backends of the bench's own database (the shared PostgreSQL processes and other databases'
// backends are shown apart: on a shared server they mostly do other work). The cases run interleaved, in rounds, so a change in the machine's load meets every
// case alike; each is reported in CPU µs per request and as a ratio to GET /api/health measured
// in the same run. On a shared machine the ratios are what to compare between runs.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import postgres from "postgres";
import { createFreshDatabase, dropDatabase } from "./fresh-database.mjs";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "10000" },
    warmup: { type: "string", default: "500" },
    rounds: { type: "string", default: "10" },
    connections: { type: "string", default: "8" },
    port: { type: "string", default: "3510" },
  },
});
const requests = positiveInteger("requests", values.requests);
const warmup = positiveInteger("warmup", values.warmup);
const rounds = Math.min(positiveInteger("rounds", values.rounds), requests);
const connections = positiveInteger("connections", values.connections);
const port = positiveInteger("port", values.port);
if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}
if (!existsSync("/proc/self/stat")) {
  console.error("This benchmark reads CPU times from /proc: it runs on Linux only.");
  process.exit(1);
}

function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    console.error(`--${name} must be a positive integer.`);
    process.exit(1);
  }
  return number;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const MICROSECONDS_PER_TICK = 1_000_000 / clockTicks;
// Work the server defers (last-used timestamps are written in a batch every 2 s) must land in
// the case that caused it: each measurement waits this long after its last response.
const SETTLE_MS = 2_500;
// The verification cache keeps an entry 30 s by default; a pass over the 1,000 tokens can take
// about that long on a slow machine. With 300 s, the pass that precedes each measured slice of
// that case (see measureSlice) leaves every token in the cache, as in scripts/bench-api.ts.
const VERIFY_CACHE_MAX_AGE_SECONDS = 300;

// --- CPU accounting from /proc ---------------------------------------------------------------

type ProcessTimes = { comm: string; pgrp: number; ticks: number; startTime: string };

/** utime + stime (fields 14 and 15, in clock ticks) of every process, with its comm and process group. */
function readProcesses(): Map<number, ProcessTimes> {
  const processes = new Map<number, ProcessTimes>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // comm (field 2) is in parentheses and may contain spaces; the fields after it are plain.
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" "); // fields[0] is field 3
    const field = (n: number) => fields[n - 3] ?? "0";
    processes.set(Number(entry), {
      comm: stat.slice(stat.indexOf("(") + 1, close),
      pgrp: Number(field(5)),
      ticks: Number(field(14)) + Number(field(15)),
      startTime: field(22),
    });
  }
  return processes;
}

type Snapshot = { processes: Map<number, ProcessTimes>; databaseOf: Map<number, string | null> };

/** CPU ticks a process used between two snapshots (all of them if it started in between). */
function ticksBetween(before: Snapshot, after: Snapshot, pid: number): number {
  const now = after.processes.get(pid);
  if (!now) return 0;
  const then = before.processes.get(pid);
  return then && then.startTime === now.startTime ? now.ticks - then.ticks : now.ticks;
}

type Ticks = { server: number; database: number; shared: number; otherDatabases: number };

/**
 * The server's ticks (its whole process group) and PostgreSQL's, split by what each process
 * serves: the bench's database, nothing in particular (postmaster, checkpointer, WAL writer, …)
 * or another database — on a shared server, other people's test runs.
 */
function ticksOf(before: Snapshot, after: Snapshot, serverGroup: number, databaseName: string): Ticks {
  const ticks: Ticks = { server: 0, database: 0, shared: 0, otherDatabases: 0 };
  for (const [pid, times] of after.processes) {
    if (times.pgrp === serverGroup) ticks.server += ticksBetween(before, after, pid);
    if (times.comm !== "postgres") continue;
    const database = after.databaseOf.get(pid) ?? before.databaseOf.get(pid) ?? null;
    const used = ticksBetween(before, after, pid);
    if (database === databaseName) ticks.database += used;
    else if (database === null) ticks.shared += used;
    else ticks.otherDatabases += used;
  }
  return ticks;
}

// --- setup -----------------------------------------------------------------------------------

const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const fresh = await createFreshDatabase(baseUrl, "tessera_bench_cost");
const secrets = {
  DATABASE_URL: fresh.url,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  TOKEN_HASH_KEY: randomBytes(32).toString("base64url"),
  TESSERA_DEMO: "true",
  JOBS_ENABLED: "false",
};
Object.assign(process.env, secrets); // this process issues tokens with the server's hash key
const origin = `http://127.0.0.1:${port}`;
// Asks which database each PostgreSQL backend serves; connected to the base database, so its
// own (tiny) cost counts among the other databases'.
const monitor = postgres(baseUrl, { max: 1, onnotice: () => {} });

async function snapshot(): Promise<Snapshot> {
  const processes = readProcesses();
  const rows = await monitor<{ pid: number; datname: string | null }[]>`select pid, datname from pg_stat_activity`;
  return { processes, databaseOf: new Map(rows.map((row) => [row.pid, row.datname])) };
}

let server: ChildProcess | null = null;
let serverGroup = 0;

async function startServer(): Promise<void> {
  // Detached: the server leads its own process group, so every process it might start is counted
  // and one signal to the group stops them all.
  server = spawn(process.execPath, [path.resolve("scripts/server.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, ...secrets, VERIFY_CACHE_MAX_AGE_SECONDS: String(VERIFY_CACHE_MAX_AGE_SECONDS) },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  if (server.pid === undefined) throw new Error("the server did not start");
  serverGroup = server.pid;
  const started = Date.now();
  while (
    !(await fetch(`${origin}/api/ready`)
      .then((response) => response.ok)
      .catch(() => false))
  ) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    if (Date.now() - started > 120_000) throw new Error(`the server on port ${port} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function stopServer(): Promise<void> {
  const child = server;
  server = null;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-serverGroup, name);
    } catch {
      // the group is gone already
    }
  };
  signal("SIGTERM");
  const force = setTimeout(() => signal("SIGKILL"), 5_000);
  await exited;
  clearTimeout(force);
}

let cleanedUp: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleanedUp ??= (async () => {
    await stopServer();
    await monitor.end({ timeout: 5 }).catch(() => {});
    try {
      const { closeDb } = await import("@/db");
      await closeDb();
    } catch {
      // never opened
    }
    await dropDatabase(baseUrl, fresh.name).catch((error: unknown) => {
      console.error(`Could not drop the database ${fresh.name}:`, error);
    });
  })();
  return cleanedUp;
}
for (const name of ["SIGINT", "SIGTERM"] as const) {
  process.once(name, () => {
    console.error(`\n${name}: stopping the server and dropping ${fresh.name} …`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// --- cases -----------------------------------------------------------------------------------

type Case = {
  name: string;
  path: string;
  method?: "GET" | "POST";
  /** Form-encoded body of a POST. */
  form?: Record<string, string>;
  /** One token: a static header. Several: each request takes the next of one shared sequence. A "Basic …" value is sent as it is. */
  tokens: string[];
  /** Requests before measuring; at least one round of the tokens, so each is in the cache. */
  warmup: number;
};

type Measured = {
  benchCase: Case;
  /** The next token of the case's sequence, carried from one round to the next. */
  sequence: { next: number };
  answered: number;
  seconds: number;
  ticks: Ticks;
  /** Total CPU µs per request of each round, for the ratio's spread. */
  roundCosts: number[];
  non2xx: number;
  connectionErrors: number;
  statuses: Map<string, number>;
};

const authorizationOf = (token: string) => (token.startsWith("Basic ") ? token : `Bearer ${token}`);

function load(benchCase: Case, amount: number, sequence: { next: number }) {
  const { tokens } = benchCase;
  const headers: Record<string, string> = {};
  if (benchCase.form) headers["content-type"] = "application/x-www-form-urlencoded";
  if (tokens[0] !== undefined && tokens.length === 1) headers.authorization = authorizationOf(tokens[0]);
  return autocannon({
    url: `${origin}${benchCase.path}`,
    connections,
    amount,
    method: benchCase.method ?? "GET",
    body: benchCase.form ? new URLSearchParams(benchCase.form).toString() : undefined,
    headers,
    // A hook rather than a request list: with a list every connection would walk the tokens in
    // lock-step (see scripts/bench-api.ts).
    requests:
      tokens.length > 1
        ? [
            {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, authorization: authorizationOf(tokens[sequence.next++ % tokens.length] ?? "") },
              }),
            },
          ]
        : undefined,
  });
}

/** One request of the case, which must succeed: a misconfigured case would measure an error path. */
async function preflight(benchCase: Case): Promise<void> {
  const headers: Record<string, string> = {};
  if (benchCase.form) headers["content-type"] = "application/x-www-form-urlencoded";
  if (benchCase.tokens[0]) headers.authorization = authorizationOf(benchCase.tokens[0]);
  const response = await fetch(`${origin}${benchCase.path}`, {
    method: benchCase.method ?? "GET",
    headers,
    body: benchCase.form ? new URLSearchParams(benchCase.form).toString() : undefined,
  });
  if (!response.ok) throw new Error(`${benchCase.name}: the first request answered ${response.status}: ${await response.text()}`);
}

const pause = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

/** One round's share of a case's requests: measured from the first request to SETTLE_MS after the last. */
async function measureSlice(measured: Measured, amount: number): Promise<void> {
  const { tokens } = measured.benchCase;
  if (tokens.length > 1) {
    // Unmeasured: every token just seen, so the slice measures the cache's steady state whatever
    // the time since the last round; the tokens' last-used writes (once a minute) fall here too.
    await load(measured.benchCase, tokens.length, measured.sequence);
    await pause();
  }
  const before = await snapshot();
  const result = await load(measured.benchCase, amount, measured.sequence);
  await pause();
  const after = await snapshot();
  const ticks = ticksOf(before, after, serverGroup, fresh.name);
  let answered = 0;
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    const count = stat.count ?? 0;
    answered += count;
    measured.statuses.set(code, (measured.statuses.get(code) ?? 0) + count);
  }
  measured.answered += answered;
  measured.seconds += result.duration;
  measured.ticks.server += ticks.server;
  measured.ticks.database += ticks.database;
  measured.ticks.shared += ticks.shared;
  measured.ticks.otherDatabases += ticks.otherDatabases;
  measured.roundCosts.push(((ticks.server + ticks.database) * MICROSECONDS_PER_TICK) / Math.max(answered, 1));
  measured.non2xx += result.non2xx;
  measured.connectionErrors += result.errors;
}

// --- run -------------------------------------------------------------------------------------

const results: Measured[] = [];
let failure: unknown = null;
try {
  await startServer();
  const { getDb } = await import("@/db");
  const { firstMembershipByEmail } = await import("@/lib/people/persons");
  const { sql } = await import("drizzle-orm");
  const { consoleActor } = await import("@/lib/auth/actor");
  const { createToken } = await import("@/lib/tokens/create");
  const { GRANT_TYPE_TOKEN_EXCHANGE, TOKEN_TYPE_ACCESS_TOKEN } = await import("@/lib/oauth/vocabulary");
  const { seedScale, SCALE_ADMIN } = await import("./seed-scale");

  const db = await getDb();
  const adminOf = async (email: string) => {
    const user = await firstMembershipByEmail(db, email);
    if (!user) throw new Error(`${email} missing`);
    return consoleActor(user, { ip: null, userAgent: "bench-cost" });
  };
  const acme = await adminOf("sysadmin@acme.test");
  const issue = async (actor: typeof acme, description: string, permissions: string[]) =>
    (await createToken(actor, { description, permissions })).value;
  const { createClientSecret } = await import("@/lib/applications/client-secrets");
  const { applications } = await import("@/db/schema");

  console.log("Issuing 1,004 tokens and seeding an organization of 3,000 tokens …");
  const one = await issue(acme, "bench cost", ["tokens:read"]);
  // Restrictions (SPEC §12) at their most expensive: 50 ranges with the bench's address last, and
  // a rate limit far above what the bench sends (counted in Redis when REDIS_URL is set).
  await db.execute(sql`update organizations set max_rate_limit_per_minute = 1000000 where id = ${acme.organizationId}`);
  const ranges = [...Array.from({ length: 48 }, (_, i) => `10.${i}.0.0/16`), "2001:db8::/32", "127.0.0.1"];
  const allowlisted = (await createToken(acme, { description: "bench cost allowlist", permissions: ["tokens:read"], allowedCidrs: ranges }))
    .value;
  const restricted = (
    await createToken(acme, {
      description: "bench cost restricted",
      permissions: ["tokens:read"],
      allowedCidrs: ranges,
      rateLimitPerMinute: 1_000_000,
    })
  ).value;
  const many: string[] = [];
  for (let i = 0; i < 1000; i += 50) {
    many.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => issue(acme, `bench cost ${i + j}`, ["tokens:read"])))));
  }
  const introspector = await issue(acme, "bench cost introspector", ["tokens:introspect"]);
  // A resource server of the Enterprise REST API, introspecting one of its tokens by client credentials.
  const [enterprise] = await db
    .select({ id: applications.id })
    .from(applications)
    .where(sql`${applications.organizationId} = ${acme.organizationId} and ${applications.slug} = 'enterprise-rest-api'`);
  if (!enterprise) throw new Error("the demo's Enterprise REST API is missing");
  const clientSecret = (await createClientSecret(acme, enterprise.id)).value;
  const client = `Basic ${Buffer.from(`${enterprise.id}:${clientSecret}`).toString("base64")}`;
  const domainToken = await issue(acme, "bench cost domain token", ["orders:read"]);
  const subject = await issue(acme, "bench cost exchange subject", ["tokens:read"]);
  await seedScale(db, { tokens: 3000, reps: 10 });
  const lister = await issue(await adminOf(SCALE_ADMIN), "bench cost lister", ["tokens:read", "tokens:admin"]);
  // Tidy tables and fresh statistics, so autovacuum has no setup work left to do during the cases.
  await db.execute(sql`vacuum analyze`);

  const cases: Case[] = [
    { name: "GET /api/health", path: "/api/health", tokens: [], warmup },
    { name: "GET /api/v1/me, one token", path: "/api/v1/me", tokens: [one], warmup },
    { name: "GET /api/v1/me, 50 allowed ranges", path: "/api/v1/me", tokens: [allowlisted], warmup },
    {
      name: `GET /api/v1/me, 50 ranges + rate limit (${process.env.REDIS_URL ? "Redis" : "memory"})`,
      path: "/api/v1/me",
      tokens: [restricted],
      warmup,
    },
    { name: "GET /api/v1/me, 1,000 tokens", path: "/api/v1/me", tokens: many, warmup: Math.max(warmup, many.length) },
    {
      name: "POST /api/v1/oauth/introspect",
      path: "/api/v1/oauth/introspect",
      method: "POST",
      form: { token: one },
      tokens: [introspector],
      warmup,
    },
    {
      name: "POST /api/v1/oauth/introspect, client credentials",
      path: "/api/v1/oauth/introspect",
      method: "POST",
      form: { token: domainToken },
      tokens: [client],
      warmup,
    },
    {
      name: "POST /api/v1/oauth/token (exchange)",
      path: "/api/v1/oauth/token",
      method: "POST",
      form: { grant_type: GRANT_TYPE_TOKEN_EXCHANGE, subject_token: subject, subject_token_type: TOKEN_TYPE_ACCESS_TOKEN },
      tokens: [],
      warmup,
    },
    { name: "GET /api/v1/tokens, 3,000 in the org", path: "/api/v1/tokens", tokens: [lister], warmup },
  ];
  for (const benchCase of cases) {
    results.push({
      benchCase,
      sequence: { next: 0 },
      answered: 0,
      seconds: 0,
      ticks: { server: 0, database: 0, shared: 0, otherDatabases: 0 },
      roundCosts: [],
      non2xx: 0,
      connectionErrors: 0,
      statuses: new Map(),
    });
  }
  console.log("Warming up …");
  for (const measured of results) {
    await preflight(measured.benchCase);
    await load(measured.benchCase, measured.benchCase.warmup, measured.sequence);
  }
  await pause();
  for (let round = 0; round < rounds; round += 1) {
    const amount = Math.floor(requests / rounds) + (round < requests % rounds ? 1 : 0);
    const started = Date.now();
    // Each round starts at another case, so no case always follows the same one.
    for (let i = 0; i < results.length; i += 1) {
      const measured = results[(round + i) % results.length];
      if (measured) await measureSlice(measured, amount);
    }
    console.log(`  round ${round + 1} of ${rounds}: ${amount} requests per case in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
} catch (error) {
  failure = error;
} finally {
  await cleanUp();
}
if (failure) {
  console.error(failure);
  process.exit(1);
}

// --- report ----------------------------------------------------------------------------------

const perRequest = (ticks: number, measured: Measured) =>
  measured.answered > 0 ? (ticks * MICROSECONDS_PER_TICK) / measured.answered : Number.NaN;
const total = (measured: Measured) => perRequest(measured.ticks.server + measured.ticks.database, measured);
const health = results[0];
const baseline = health ? total(health) : Number.NaN;
const spread = (measured: Measured) => {
  const ratios = measured.roundCosts.map((cost, round) => cost / (health?.roundCosts[round] ?? Number.NaN));
  return `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`;
};

const table = (header: string[], rows: string[][]) => {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ");
  console.log([line(header), "-".repeat(line(header).length), ...rows.map(line)].join("\n"));
};
const micros = (value: number) => value.toFixed(0);

console.log(
  [
    "",
    `CPU cost per request — ${requests} requests per case in ${rounds} interleaved rounds, after a warm-up of ${warmup} (1,000 for the`,
    `1,000-token case, and an unmeasured pass over its tokens before each round's slice, so it measures cache hits); ${connections}`,
    `connections to 127.0.0.1; verification cache max age ${VERIFY_CACHE_MAX_AGE_SECONDS} s; /proc CPU times at ${clockTicks} ticks/s.`,
    "THIS IS A SHARED 2-CORE MACHINE: COMPARE THE RATIOS TO /api/health, NOT THE ABSOLUTE FIGURES.",
    "server: every process of the server's process group. postgres: the backends of the bench's own database. Left out (second",
    "table): the shared PostgreSQL processes (postmaster, checkpointer, WAL writer, …) and other databases' backends, which on a",
    "shared server mostly do other people's work — /api/health, which does no database work, shows what that adds.",
    "ratio: total µs/req over /api/health's; per round: its lowest and highest over the rounds.",
    "",
  ].join("\n"),
);
table(
  ["case", "requests", "server µs/req", "postgres µs/req", "total µs/req", "ratio", "per round", "req/s", "non-2xx"],
  results.map((measured) => [
    measured.benchCase.name,
    String(measured.answered),
    micros(perRequest(measured.ticks.server, measured)),
    micros(perRequest(measured.ticks.database, measured)),
    micros(total(measured)),
    (total(measured) / baseline).toFixed(2),
    spread(measured),
    (measured.answered / measured.seconds).toFixed(0),
    String(measured.non2xx + measured.connectionErrors),
  ]),
);
console.log("");
table(
  ["PostgreSQL, µs/req", "this database (counted)", "shared processes (left out)", "other databases (left out)"],
  results.map((measured) => [
    measured.benchCase.name,
    micros(perRequest(measured.ticks.database, measured)),
    micros(perRequest(measured.ticks.shared, measured)),
    micros(perRequest(measured.ticks.otherDatabases, measured)),
  ]),
);

const failed = results.filter((measured) => measured.non2xx > 0 || measured.connectionErrors > 0 || measured.answered < requests);
console.log("");
if (failed.length === 0) {
  console.log("Every request of every case answered 2xx.");
} else {
  for (const measured of failed) {
    const statuses = [...measured.statuses].map(([code, count]) => `${code}×${count}`).join(" ");
    console.log(
      `!!! ERRORS in "${measured.benchCase.name}": ${measured.non2xx} non-2xx responses (${statuses}), ${measured.connectionErrors} ` +
        `connection errors, ${measured.answered} of ${requests} requests answered — ITS FIGURES DO NOT MEASURE THE INTENDED PATH.`,
    );
  }
  process.exitCode = 1;
}
