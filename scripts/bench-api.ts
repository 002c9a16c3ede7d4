// `npm run bench`: the API's authentication overhead on PostgreSQL, measured with autocannon on
// 127.0.0.1 against the production build (run `npm run build` first). Prints req/s, p50 and p99
// for (a) a constant unauthenticated route, (b) GET /api/v1/me with a valid token, (c) with an
// invalid token, at 10 and 50 connections, and the ratio b/a.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { createFreshDatabase, dropDatabase } from "./fresh-database.mjs";

const { values } = parseArgs({
  options: { duration: { type: "string", default: "10" }, port: { type: "string", default: "3500" } },
});
if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}
const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const fresh = await createFreshDatabase(baseUrl, "tessera_bench");
const secrets = {
  DATABASE_URL: fresh.url,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  TOKEN_HASH_KEY: randomBytes(32).toString("base64url"),
  TESSERA_DEMO: "true",
};
// This process issues the token with the server's hash key, straight through the data layer.
Object.assign(process.env, secrets);
const origin = `http://127.0.0.1:${values.port}`;
const server = spawn(process.execPath, [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", values.port], {
  env: { ...process.env, ...secrets },
  stdio: ["ignore", "ignore", "inherit"],
});

type Row = { name: string; connections: number; rps: number; p50: number; p99: number; statuses: string };
const rows: Row[] = [];
try {
  const started = Date.now();
  while (!(await fetch(`${origin}/api/ready`).then((r) => r.ok).catch(() => false))) {
    if (Date.now() - started > 60_000) throw new Error("server did not become ready");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const { getDb, closeDb } = await import("@/db");
  const { users } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const { consoleActor } = await import("@/lib/actor");
  const { createToken } = await import("@/lib/tokens/create");
  const db = await getDb();
  const [admin] = await db.select().from(users).where(eq(users.email, "sysadmin@acme.test"));
  if (!admin) throw new Error("demo admin missing");
  const { value } = await createToken(consoleActor(admin, { ip: null, userAgent: "bench" }), {
    description: "bench",
    permissions: ["tokens:read"],
  });
  await closeDb();

  const cases = [
    { name: "(a) GET /api/health", path: "/api/health", headers: {} },
    { name: "(b) GET /api/v1/me, valid token", path: "/api/v1/me", headers: { authorization: `Bearer ${value}` } },
    { name: "(c) GET /api/v1/me, invalid token", path: "/api/v1/me", headers: { authorization: "Bearer tsr_not_a_real_token" } },
  ];
  for (const connections of [10, 50]) {
    for (const bench of cases) {
      const result = await autocannon({
        url: `${origin}${bench.path}`,
        connections,
        duration: Number(values.duration),
        headers: bench.headers,
      });
      const statuses = Object.entries(result.statusCodeStats ?? {})
        .map(([code, stat]) => `${code}×${stat.count}`)
        .join(" ");
      rows.push({ name: bench.name, connections, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, statuses });
    }
  }
} finally {
  server.kill();
  await dropDatabase(baseUrl, fresh.name).catch(() => {});
}

console.log(`\n${"case".padEnd(36)} conns   req/s    p50 ms  p99 ms  statuses`);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(36)} ${String(row.connections).padStart(5)} ${row.rps.toFixed(0).padStart(7)} ${String(row.p50).padStart(8)} ${String(row.p99).padStart(7)}  ${row.statuses}`,
  );
}
for (const connections of [10, 50]) {
  const a = rows.find((row) => row.connections === connections && row.name.startsWith("(a)"));
  const b = rows.find((row) => row.connections === connections && row.name.startsWith("(b)"));
  if (a && b) console.log(`ratio b/a at ${connections} connections: ${(b.rps / a.rps).toFixed(2)}`);
}
