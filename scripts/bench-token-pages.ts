// `npm run bench:tokens -- [--tokens 100000] [--organizations 100] [--audit-events 1000000] [--runs 30]`:
// measures the lists at size on PostgreSQL against the production build (`npm run build` first).
// Creates a fresh database beside $DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres),
// seeds the organization "scale" (scripts/seed-scale.ts) with small organizations beside it, starts
// the server and prints the median and p90 time of each request, first byte sent to last byte read
// on 127.0.0.1 (server time, as nothing else is on the path): the token pages (first page, one rep,
// each state, searches by description, account SID and username), the token API list, the audit
// log (first page, by action, by rep) and the audit CSV export of 1% of the log (time, rows and the
// server's resident memory before and at its peak during the export). Then one steady-state pass of
// the expiry notices over the organization.
//
// --database <name> reuses (and tops up) a seeded database instead of creating one; --keep keeps
// the database created; --prefix names it (default tessera_bench).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { personalAccessTokens } from "@/db/schema";
import { listAuditEvents } from "@/lib/audit/log";
import { consoleActor } from "@/lib/auth/actor";
import { enqueueExpiryNotices } from "@/lib/notifications/expiry";
import { createToken } from "@/lib/tokens/create";
import { listTokens } from "@/lib/tokens/queries";
import type { AuditQuery } from "@/lib/validation/audit";
import type { TokenListQuery } from "@/lib/validation/token";
import { createFreshDatabase, dropDatabase } from "./fresh-database.mjs";
import { ONE_PERCENT_ACTION, QUIET_REP_EMAIL, SCALE_ADMIN, seedScale } from "./seed-scale";
import { firstMembershipByEmail } from "@/lib/people/persons";

const { values } = parseArgs({
  options: {
    tokens: { type: "string", default: "100000" },
    reps: { type: "string", default: "25" },
    organizations: { type: "string", default: "100" },
    "audit-events": { type: "string", default: "1000000" },
    runs: { type: "string", default: "30" },
    "export-runs": { type: "string", default: "5" },
    port: { type: "string", default: "3300" },
    database: { type: "string" },
    prefix: { type: "string", default: "tessera_bench" },
    keep: { type: "boolean", default: false },
  },
});
if (!existsSync(".next/BUILD_ID")) {
  console.error("No production build: run `npm run build` first.");
  process.exit(1);
}
const baseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
if (!/^postgres(ql)?:\/\/[^/]*@?(127\.0\.0\.1|localhost)(:\d+)?\//.test(baseUrl)) {
  console.error("The benchmark loads the database hard: point DATABASE_URL at a PostgreSQL on 127.0.0.1.");
  process.exit(1);
}
const runs = Number(values.runs);
const reps = Number(values.reps);
const origin = `http://127.0.0.1:${values.port}`;

const database = values.database
  ? { name: values.database, url: Object.assign(new URL(baseUrl), { pathname: `/${values.database}` }).toString() }
  : await createFreshDatabase(baseUrl, values.prefix);
const keep = values.keep || values.database !== undefined;
const secrets = {
  DATABASE_URL: database.url,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  TOKEN_HASH_KEY: randomBytes(32).toString("base64url"),
  TESSERA_DEMO: "false",
  // The benchmark times the lists alone; the expiry pass is timed once, below.
  JOBS_ENABLED: "false",
};
// This process seeds and issues a token with the server's configuration (lib/env.ts reads it on first use).
Object.assign(process.env, secrets);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `median ${percentile(sorted, 0.5).toFixed(1)} ms · p90 ${percentile(sorted, 0.9).toFixed(1)} ms · min ${sorted[0]?.toFixed(1)} ms (n=${sorted.length})`;
};
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

let server: ChildProcess | undefined;
try {
  let started = performance.now();
  const db = await getDb(); // migrates
  console.log(`database ${database.name}: connected and migrated in ${seconds(started)}`);
  started = performance.now();
  const organization = await seedScale(db, {
    tokens: Number(values.tokens),
    reps,
    organizations: Number(values.organizations),
    auditEvents: Number(values["audit-events"]),
    log: (line) => console.log(`  seed: ${line}`),
  });
  console.log(`seeded in ${seconds(started)}`);

  const userByEmail = async (email: string) => {
    const user = await firstMembershipByEmail(db, email);
    if (!user) throw new Error(`${email} missing`);
    return user;
  };
  const admin = await userByEmail(SCALE_ADMIN);
  const rep = await userByEmail("rep7@scale.test");
  const quietRep = await userByEmail(QUIET_REP_EMAIL(reps));
  const [someToken] = await db
    .select({ accountSid: personalAccessTokens.accountSid })
    .from(personalAccessTokens)
    .where(and(eq(personalAccessTokens.organizationId, organization.id), isNull(personalAccessTokens.revokedAt)))
    .orderBy(asc(personalAccessTokens.createdAt))
    .limit(1);
  if (!someToken) throw new Error("no token to search for");
  const { value: apiToken } = await createToken(consoleActor(admin, { ip: "127.0.0.1", userAgent: "bench" }), {
    description: "Benchmark",
    permissions: ["tokens:admin", "audit:read"],
  });

  server = spawn(process.execPath, [path.resolve("scripts/server.mjs"), "-p", values.port], {
    env: { ...process.env, ...secrets },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const serverPid = server.pid;
  started = performance.now();
  while (
    !(await fetch(`${origin}/api/ready`)
      .then((r) => r.ok)
      .catch(() => false))
  ) {
    if (performance.now() - started > 60_000) throw new Error("server did not become ready");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const cookie = await signIn(SCALE_ADMIN, "tessera-demo");
  const bearer = { authorization: `Bearer ${apiToken}` };

  const sid = someToken.accountSid.slice(8, 20);
  const actor = consoleActor(admin, { ip: "127.0.0.1", userAgent: "bench" });
  const tokens = (query: TokenListQuery) => () => listTokens(actor, query);
  const audit = (query: AuditQuery) => () => listAuditEvents(actor, query);
  // Each request, with the data-layer call behind it where there is one (timed in this process).
  const measured: { label: string; url: string; headers: Record<string, string>; data?: () => Promise<unknown> }[] = [
    { label: "/admin/tokens (first page, all reps)", url: "/admin/tokens", headers: { cookie }, data: tokens({}) },
    { label: "/admin/tokens?rep=<one rep>", url: `/admin/tokens?rep=${rep.id}`, headers: { cookie }, data: tokens({ userId: rep.id }) },
    ...(["active", "inactive", "expired", "revoked"] as const).map((state) => ({
      label: `/admin/tokens?state=${state}`,
      url: `/admin/tokens?state=${state}`,
      headers: { cookie },
      data: tokens({ state }),
    })),
    {
      label: "/admin/tokens?q=Integration 4242",
      url: "/admin/tokens?q=Integration%204242",
      headers: { cookie },
      data: tokens({ search: "Integration 4242" }),
    },
    {
      label: "/admin/tokens?q=<12 characters of a SID>",
      url: `/admin/tokens?q=${sid}`,
      headers: { cookie },
      data: tokens({ search: sid }),
    },
    { label: "/admin/tokens?q=rep007 (username)", url: "/admin/tokens?q=rep007", headers: { cookie }, data: tokens({ search: "rep007" }) },
    {
      label: "/admin/tokens?sort=description_asc",
      url: "/admin/tokens?sort=description_asc",
      headers: { cookie },
      data: tokens({ sort: "description_asc" }),
    },
    {
      label: "/admin/tokens?rep=<one rep>&sort=last_used_desc",
      url: `/admin/tokens?rep=${rep.id}&sort=last_used_desc`,
      headers: { cookie },
      data: tokens({ userId: rep.id, sort: "last_used_desc" }),
    },
    { label: "/admin/reps (working tokens per rep)", url: "/admin/reps", headers: { cookie } },
    { label: "GET /api/v1/tokens", url: "/api/v1/tokens", headers: bearer },
    { label: "GET /api/v1/tokens?user_id=<one rep>", url: `/api/v1/tokens?user_id=${rep.id}`, headers: bearer },
    { label: "GET /api/v1/tokens?state=revoked", url: "/api/v1/tokens?state=revoked", headers: bearer },
    { label: "GET /api/v1/tokens?search=Integration 4242", url: "/api/v1/tokens?search=Integration%204242", headers: bearer },
    { label: "/admin/audit (first page)", url: "/admin/audit", headers: { cookie }, data: audit({}) },
    {
      label: "/admin/audit?action=token.revoked",
      url: "/admin/audit?action=token.revoked",
      headers: { cookie },
      data: audit({ action: "token.revoked" }),
    },
    { label: "/admin/audit?rep=<one rep>", url: `/admin/audit?rep=${rep.id}`, headers: { cookie }, data: audit({ targetUserId: rep.id }) },
    {
      label: "/admin/audit?rep=<a rep with few events>",
      url: `/admin/audit?rep=${quietRep.id}`,
      headers: { cookie },
      data: audit({ targetUserId: quietRep.id }),
    },
    { label: "/admin/audit?actor=<one rep>", url: `/admin/audit?actor=${rep.id}`, headers: { cookie }, data: audit({ actorId: rep.id }) },
    { label: "GET /api/v1/audit-events?action=token.revoked", url: "/api/v1/audit-events?action=token.revoked", headers: bearer },
  ];
  console.log(`\n${"request".padEnd(52)} ${"time to last byte on 127.0.0.1".padEnd(56)} data layer alone`);
  for (const { label, url, headers, data } of measured) {
    const samples: number[] = [];
    const dataSamples: number[] = [];
    for (let i = 0; i < runs + 3; i += 1) {
      const t0 = performance.now();
      const response = await fetch(`${origin}${url}`, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
      if (i >= 3) samples.push(performance.now() - t0); // the first requests warm caches up
      if (!data) continue;
      const t1 = performance.now();
      await data();
      if (i >= 3) dataSamples.push(performance.now() - t1);
    }
    console.log(`${label.padEnd(52)} ${summary(samples).padEnd(56)} ${dataSamples.length ? summary(dataSamples) : ""}`);
  }

  // The CSV export: read as a stream (so the benchmark holds no copy), the server's RSS sampled meanwhile.
  const rssBefore = residentKiB(serverPid);
  const exportSamples: number[] = [];
  let peak = rssBefore;
  let rows = 0;
  let bytes = 0;
  for (let i = 0; i < Number(values["export-runs"]); i += 1) {
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentKiB(serverPid));
    }, 20);
    const t0 = performance.now();
    const response = await fetch(`${origin}/admin/audit/export?action=${ONE_PERCENT_ACTION}`, { headers: { cookie } });
    if (response.status !== 200 || !response.body) throw new Error(`export: ${response.status}`);
    rows = 0;
    bytes = 0;
    const reader = response.body.getReader();
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      bytes += read.value.byteLength;
      for (const byte of read.value) if (byte === 10) rows += 1;
    }
    exportSamples.push(performance.now() - t0);
    clearInterval(sampler);
  }
  console.log(
    `${`/admin/audit/export?action=${ONE_PERCENT_ACTION} (CSV)`.padEnd(52)} ${summary(exportSamples)}; ${(rows - 1).toLocaleString("en-US")} rows, ` +
      `${(bytes / 2 ** 20).toFixed(1)} MiB; server RSS ${mib(rssBefore)} before, ${mib(peak)} at peak`,
  );

  // The jobs pass: the first one queues every notice due; the steady-state pass finds nothing new.
  started = performance.now();
  const queued = await enqueueExpiryNotices(new Date(), { organizationId: organization.id });
  console.log(`${"expiry notices, first pass".padEnd(52)} ${seconds(started)} (${queued.toLocaleString("en-US")} mails queued)`);
  // The pass grew the outbox from nothing; autovacuum would analyze it next, which this does now.
  await db.execute(sql`analyze notifications`);
  const steady: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const t0 = performance.now();
    await enqueueExpiryNotices(new Date(), { organizationId: organization.id });
    steady.push(performance.now() - t0);
  }
  console.log(`${"expiry notices, steady-state pass".padEnd(52)} ${summary(steady)}`);
  for (const [label, url] of [
    ["/admin/outbox (first page)", "/admin/outbox"],
    ["/admin/outbox?status=pending", "/admin/outbox?status=pending"],
  ] as const) {
    const samples: number[] = [];
    for (let i = 0; i < runs + 3; i += 1) {
      const t0 = performance.now();
      const response = await fetch(`${origin}${url}`, { headers: { cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
      if (i >= 3) samples.push(performance.now() - t0);
    }
    console.log(`${label.padEnd(52)} ${summary(samples)}`);
  }

  console.log(
    `\norganization ${organization.slug}: ${values.tokens} tokens, ${reps} reps, ${values["audit-events"]} audit events; ` +
      `${values.organizations} small organizations beside it; PostgreSQL database ${database.name}${keep ? " (kept)" : ""}`,
  );
} finally {
  server?.kill();
  await closeDb();
  if (!keep) await dropDatabase(baseUrl, database.name);
}

function residentKiB(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0);
}

function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}

async function signIn(email: string, password: string): Promise<string> {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keepCookies = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = (pair ?? "").split("=");
      if (name) jar.set(name, rest.join("="));
    }
  };
  keepCookies(csrf);
  const header = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const response = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: origin }),
  });
  keepCookies(response);
  if (![...jar.keys()].some((name) => name.includes("session-token"))) throw new Error("sign-in failed");
  return header();
}
