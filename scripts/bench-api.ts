// `npm run bench`: the API's authentication cost on PostgreSQL, measured with autocannon on
// 127.0.0.1 against the production build (run `npm run build` first). Prints req/s, p50 and p99
// for (a) a constant unauthenticated route, (b) GET /api/v1/me with a valid token and (c) with
// an invalid token — on an instance with the verification cache off (the plain design) — then,
// with the cache on, (d) GET /api/v1/me and (e) the same spread over 1,000 tokens; and (f) with
// two instances on one database, the time from a revoke on A to the first 401 on B (100 trials)
// plus a race of 50 concurrent callers on B.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { createFreshDatabase, dropDatabase } from "./fresh-database.mjs";

const { values } = parseArgs({ options: { duration: { type: "string", default: "10" }, trials: { type: "string", default: "100" } } });
if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}
const duration = Number(values.duration);
const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const fresh = await createFreshDatabase(baseUrl, "tessera_bench");
const secrets = {
  DATABASE_URL: fresh.url,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  TOKEN_HASH_KEY: randomBytes(32).toString("base64url"),
  TESSERA_DEMO: "true",
  JOBS_ENABLED: "false",
};
Object.assign(process.env, secrets); // this process issues tokens with the servers' hash key

const servers: ChildProcess[] = [];
async function startServer(port: number, cacheSeconds: number): Promise<{ origin: string; stop: () => void }> {
  const server = spawn(process.execPath, [path.resolve("scripts/server.mjs"), "-p", String(port)], {
    env: { ...process.env, ...secrets, VERIFY_CACHE_MAX_AGE_SECONDS: String(cacheSeconds) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  servers.push(server);
  const origin = `http://127.0.0.1:${port}`;
  const started = Date.now();
  while (
    !(await fetch(`${origin}/api/ready`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() - started > 60_000) throw new Error(`server on ${port} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { origin, stop: () => server.kill() };
}

type Row = { name: string; connections: number; rps: number; p50: number; p99: number; statuses: string };
const rows: Row[] = [];
async function load(name: string, url: string, connections: number, tokens: string[] | null) {
  // One token: a static header, pre-serialized like (a). Several: a hook hands each request the
  // next token of one shared sequence — a request list would make every connection walk the
  // tokens in lock-step, so each token would miss the cache once per connection.
  let next = 0;
  const result = await autocannon({
    url,
    connections,
    duration,
    headers: tokens?.length === 1 ? { authorization: `Bearer ${tokens[0]}` } : undefined,
    requests:
      tokens && tokens.length > 1
        ? [
            {
              setupRequest: (request) => ({
                ...request,
                headers: { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` },
              }),
            },
          ]
        : undefined,
  });
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([code, stat]) => `${code}×${(stat as { count: number }).count}`)
    .join(" ");
  rows.push({ name, connections, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, statuses });
}

/** A few seconds of load on a fresh server, so JIT and connection pools are warm before measuring. */
async function warmUp(origin: string, token: string) {
  await autocannon({ url: `${origin}/api/health`, connections: 10, duration: 3 });
  await autocannon({ url: `${origin}/api/v1/me`, connections: 10, duration: 3, headers: { authorization: `Bearer ${token}` } });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
let revocation = "";
try {
  const { getDb, closeDb } = await import("@/db");
  const { firstMembershipByEmail } = await import("@/lib/people/persons");
  const { consoleActor } = await import("@/lib/auth/actor");
  const { createToken } = await import("@/lib/tokens/create");

  const plain = await startServer(3501, 0);
  const db = await getDb();
  const admin = await firstMembershipByEmail(db, "sysadmin@acme.test");
  if (!admin) throw new Error("demo admin missing");
  const actor = consoleActor(admin, { ip: null, userAgent: "bench" });
  const issue = async (description: string, permissions = ["tokens:read"]) =>
    (await createToken(actor, { description, permissions })).value;
  const valid = await issue("bench");
  const many = await Promise.all(Array.from({ length: 1000 }, (_, i) => issue(`bench ${i}`)));
  const adminToken = await issue("bench admin", ["tokens:read", "tokens:write", "tokens:admin"]);

  await warmUp(plain.origin, valid);
  for (const connections of [10, 50]) {
    await load("(a) GET /api/health", `${plain.origin}/api/health`, connections, null);
    await load("(b) /api/v1/me, valid token, no cache", `${plain.origin}/api/v1/me`, connections, [valid]);
    await load("(c) /api/v1/me, invalid token", `${plain.origin}/api/v1/me`, connections, ["tsr_not_a_real_token"]);
  }
  plain.stop();

  const cachedA = await startServer(3502, 30);
  await warmUp(cachedA.origin, valid);
  // (e) measures the steady state through the cache: each of the 1,000 tokens is seen just before.
  const touchAll = async () => {
    for (let i = 0; i < many.length; i += 50) {
      await Promise.all(
        many.slice(i, i + 50).map((token) => fetch(`${cachedA.origin}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })),
      );
    }
  };
  for (const connections of [10, 50]) {
    await load("(a') GET /api/health, cached instance", `${cachedA.origin}/api/health`, connections, null);
    await load("(d) /api/v1/me through the cache", `${cachedA.origin}/api/v1/me`, connections, [valid]);
    await touchAll();
    await load("(e) /api/v1/me over 1,000 tokens", `${cachedA.origin}/api/v1/me`, connections, many);
    // Control: the same per-request hook with one token, separating the load generator's cost
    // of the hook (it shares the 2 cores) from the server's cost of 1,000 distinct tokens.
    await load("(e0) control: same hook, one token", `${cachedA.origin}/api/v1/me`, connections, [valid, valid]);
  }

  // (f) Revocation on A seen on B.
  const b = await startServer(3503, 30);
  const trials = Number(values.trials);
  const delays: number[] = [];
  for (let trial = 0; trial < trials; trial += 1) {
    const created = await createToken(actor, { description: `revoke ${trial}`, permissions: ["tokens:read"] });
    const me = () => fetch(`${b.origin}/api/v1/me`, { headers: { authorization: `Bearer ${created.value}` } });
    if ((await me()).status !== 200) throw new Error("warm-up failed");
    const revoked = await fetch(`${cachedA.origin}/api/v1/tokens/${created.token.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${adminToken}` },
    });
    if (revoked.status !== 200) throw new Error(`revoke failed: ${revoked.status}`);
    const t0 = performance.now();
    while ((await me()).status === 200) {
      if (performance.now() - t0 > 5000) throw new Error("revocation never reached B");
    }
    delays.push(performance.now() - t0);
  }
  delays.sort((x, y) => x - y);

  // Race: 50 callers hammer B while A revokes; no 200 may start after B's first 401.
  const raced = await createToken(actor, { description: "race", permissions: ["tokens:read"] });
  const calls: { start: number; end: number; status: number }[] = [];
  let stop = false;
  const caller = async () => {
    while (!stop) {
      const start = performance.now();
      const status = (await fetch(`${b.origin}/api/v1/me`, { headers: { authorization: `Bearer ${raced.value}` } })).status;
      calls.push({ start, end: performance.now(), status });
    }
  };
  const callers = Array.from({ length: 50 }, caller);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const revokedAt = performance.now();
  await fetch(`${cachedA.origin}/api/v1/tokens/${raced.token.id}`, {
    method: "DELETE",
    headers: { authorization: `Bearer ${adminToken}` },
  });
  const committedAt = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  stop = true;
  await Promise.all(callers);
  // Refused is anything but 200: 401, or 429 once the address has failed too often.
  const firstRefusal = Math.min(...calls.filter((call) => call.status !== 200).map((call) => call.end));
  const lateSuccesses = calls.filter((call) => call.status === 200 && call.start > firstRefusal).length;
  const afterCommit = calls.filter((call) => call.status === 200 && call.start > committedAt).length;
  revocation = [
    `(f) revoke on A → first 401 on B over ${trials} trials: p50 ${quantile(delays, 0.5).toFixed(1)} ms · p99 ${quantile(delays, 0.99).toFixed(1)} ms · max ${delays[delays.length - 1]?.toFixed(1)} ms`,
    `    race, 50 callers on B: ${calls.length} calls; revoke request ${(committedAt - revokedAt).toFixed(1)} ms; first refusal ${(firstRefusal - committedAt).toFixed(1)} ms after it returned; ` +
      `successes started after the first refusal: ${lateSuccesses}; successes started after the revoke returned: ${afterCommit}`,
  ].join("\n");
  await closeDb();
} finally {
  for (const server of servers) server.kill();
  await dropDatabase(baseUrl, fresh.name).catch(() => {});
}

console.log(`\n${"case".padEnd(40)} conns   req/s    p50 ms  p99 ms  statuses`);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(40)} ${String(row.connections).padStart(5)} ${row.rps.toFixed(0).padStart(7)} ${String(row.p50).padStart(8)} ${String(row.p99).padStart(7)}  ${row.statuses}`,
  );
}
const find = (prefix: string, connections: number) => rows.find((row) => row.connections === connections && row.name.startsWith(prefix));
for (const connections of [10, 50]) {
  const ratio = (x: string, y: string) => {
    const top = find(x, connections);
    const bottom = find(y, connections);
    return top && bottom ? (top.rps / bottom.rps).toFixed(2) : "n/a";
  };
  const p99 = (x: string, y: string) => {
    const top = find(x, connections);
    const bottom = find(y, connections);
    return top && bottom ? `${top.p99} vs ${bottom.p99} ms` : "n/a";
  };
  console.log(
    `${connections} connections: b/a ${ratio("(b)", "(a)")} · d/a' ${ratio("(d)", "(a')")} · e/a' ${ratio("(e)", "(a')")} · e/e0 ${ratio("(e)", "(e0)")} · p99 d vs a' ${p99("(d)", "(a')")}`,
  );
}
console.log(revocation);
