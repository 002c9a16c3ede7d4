// `npm run bench:tokens`: measures the token pages at 100,000 tokens per organization.
// Creates a fresh PostgreSQL database beside $DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// seeds it, starts the production build (`npm run build` first) and prints the median and p90
// server time of /admin/tokens (first page) and /admin/tokens?rep=<one rep>, plus the data
// layer's own time for the same queries.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { parseArgs } from "node:util";
import { eq } from "drizzle-orm";
import { openDatabase } from "@/db";
import { users } from "@/db/schema";
import { seedScaleOrganization, SCALE_ADMIN } from "./seed-scale";
import { createFreshDatabase, dropDatabase } from "./fresh-database.mjs";

const { values } = parseArgs({
  options: {
    tokens: { type: "string", default: "100000" },
    runs: { type: "string", default: "30" },
    port: { type: "string", default: "3300" },
    keep: { type: "boolean", default: false },
  },
});
const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const runs = Number(values.runs);
const origin = `http://127.0.0.1:${values.port}`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `median ${percentile(sorted, 0.5).toFixed(1)} ms · p90 ${percentile(sorted, 0.9).toFixed(1)} ms · min ${sorted[0]?.toFixed(1)} ms (n=${sorted.length})`;
};

const fresh = await createFreshDatabase(baseUrl, "tessera_bench");
const connection = await openDatabase({ databaseUrl: fresh.url });
let server: ReturnType<typeof spawn> | undefined;
try {
  let started = Date.now();
  const organization = await seedScaleOrganization(connection.db, Number(values.tokens), 25);
  console.log(`seeded ${values.tokens} tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const [rep] = await connection.db.select({ id: users.id }).from(users).where(eq(users.email, "rep7@scale.test"));
  if (!rep) throw new Error("scale rep missing");

  server = spawn(process.execPath, [path.resolve("scripts/server.mjs"), "-p", values.port], {
    env: {
      ...process.env,
      DATABASE_URL: fresh.url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      TOKEN_HASH_KEY: randomBytes(32).toString("base64url"),
      TESSERA_DEMO: "false",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  started = Date.now();
  while (
    !(await fetch(`${origin}/api/ready`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (Date.now() - started > 60_000) throw new Error("server did not become ready");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const cookie = await signIn(SCALE_ADMIN, "tessera-demo");

  for (const [label, url] of [
    ["/admin/tokens (first page, all reps)", "/admin/tokens"],
    ["/admin/tokens?rep=<one rep>", `/admin/tokens?rep=${rep.id}`],
    ["/admin/tokens?q=Integration 4242 (search)", "/admin/tokens?q=Integration%204242"],
  ] as const) {
    const samples: number[] = [];
    for (let i = 0; i < runs + 3; i += 1) {
      const t0 = performance.now();
      const response = await fetch(`${origin}${url}`, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200 || !body.includes("Integration")) throw new Error(`${url}: ${response.status}`);
      if (i >= 3) samples.push(performance.now() - t0); // the first requests warm caches up
    }
    console.log(`${label.padEnd(46)} ${summary(samples)}`);
  }
  console.log(`organization ${organization.slug}: ${values.tokens} tokens, 25 reps; PostgreSQL database ${fresh.name}`);
} finally {
  server?.kill();
  await connection.close();
  if (!values.keep) await dropDatabase(baseUrl, fresh.name);
}

async function signIn(email: string, password: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = (pair ?? "").split("=");
      if (name) jar.set(name, rest.join("="));
    }
  };
  keep(csrf);
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: origin }),
  });
  keep(response);
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error("sign-in failed");
  return header();
}
