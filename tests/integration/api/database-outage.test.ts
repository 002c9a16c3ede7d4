import net from "node:net";
import { afterAll, describe, expect, inject, it } from "vitest";

// The API must answer 503 problem+json while PostgreSQL is unreachable and recover on its own.
// The app talks to PostgreSQL through a TCP proxy this test can cut; PGlite, being in-process,
// cannot become unreachable, so the test runs on the PostgreSQL backend (as CI does).
const databaseUrl = inject("databaseUrl");

function startProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, "127.0.0.1", () => {
        const address = server?.address();
        if (address && typeof address === "object") port = address.port;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server?.close(() => resolve());
    });
  return { listen, cut, port: () => port };
}

describe.skipIf(!databaseUrl)("database outage", () => {
  const target = new URL(databaseUrl ?? "postgres://127.0.0.1/none");
  const proxy = startProxy(target);
  afterAll(async () => {
    // Close the app's client while the proxy still forwards, so it can say goodbye cleanly.
    const { closeDb } = await import("@/db");
    await closeDb();
    await proxy.cut();
  });

  it("answers 503 problem+json while the database is unreachable, and recovers when it returns", async () => {
    await proxy.listen();
    const viaProxy = new URL(target);
    viaProxy.host = `127.0.0.1:${proxy.port()}`;
    process.env.DATABASE_URL = viaProxy.toString();
    // Imported only now, so the app's one database client connects through the proxy.
    const { GET: getMe } = await import("@/app/api/v1/me/route");
    const { GET: ready } = await import("@/app/api/ready/route");
    const { callRoute, createApiFixture } = await import("../../fixtures/api");
    const fixture = await createApiFixture();
    expect((await callRoute(getMe, { token: fixture.admin.value })).status).toBe(200);

    await proxy.cut();
    // A token this instance verified moments ago is still answered from its cache (for at most
    // VERIFY_CACHE_MAX_AGE_SECONDS); one it has not seen needs the database.
    expect((await callRoute(getMe, { token: fixture.admin.value })).status).toBe(200);
    const down = await callRoute(getMe, { token: fixture.rep.value });
    expect(down.status).toBe(503);
    expect(down.headers.get("content-type")).toContain("application/problem+json");
    expect(down.headers.get("retry-after")).toBeTruthy();
    const problem = await down.json();
    expect(problem).toMatchObject({ status: 503, code: "database_unavailable" });
    expect(JSON.stringify(problem)).not.toMatch(/select|ECONNREFUSED|at .*\.ts/);
    expect((await ready()).status).toBe(503);
    // A malformed token needs no database: still a plain 401.
    expect((await callRoute(getMe, { authorization: "Bearer nope" })).status).toBe(401);

    await proxy.listen();
    await expect.poll(async () => (await callRoute(getMe, { token: fixture.rep.value })).status, { timeout: 15_000 }).toBe(200);
    expect((await ready()).status).toBe(200);
  });
});
