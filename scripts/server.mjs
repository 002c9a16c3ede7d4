// Tessera's HTTP server: Next.js through its documented custom-server API, so that the client's
// address comes from the TCP connection. `next start` passes a client's own X-Forwarded-For
// through untouched (anyone could name any address); here every request carries the socket's
// peer address in a header the client cannot set, and lib/http/request-context.ts decides from it
// (and from X-Forwarded-For only as far as TRUSTED_PROXY_HOPS allows).
//
// Usage: node scripts/server.mjs [--dev] [-p PORT] [-H HOSTNAME]   (PORT and HOSTNAME also from the environment)
import { createServer } from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import next from "next";
import { normalizeHeaders, refusal, trustedProxyHops } from "./request-guard.mjs";

// Must match lib/http/request-context.ts (processSingleton("peerAddressHeader")).
const PEER_ADDRESS_HEADER = "x-tessera-peer-address";
const SERVED_BY_TESSERA = Symbol.for("tessera.peerAddressHeader");

const { values } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    port: { type: "string", short: "p" },
    hostname: { type: "string", short: "H" },
  },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`Invalid port: ${values.port ?? process.env.PORT}`);
  process.exit(1);
}
// lib/env.ts derives APP_URL and the OAuth issuer from PORT when they are not set.
process.env.PORT = String(port);
const hostname = values.hostname ?? process.env.HOSTNAME ?? "0.0.0.0";
process.env.NODE_ENV ??= values.dev ? "development" : "production";

globalThis[SERVED_BY_TESSERA] = true;
const app = next({ dev: values.dev, dir: path.resolve(import.meta.dirname, ".."), port });
const handle = app.getRequestHandler();
await app.prepare();
// After prepare(): Next.js has loaded .env files into process.env by then.
const hops = trustedProxyHops(process.env.TRUSTED_PROXY_HOPS);

const server = createServer((request, response) => {
  const refused = refusal(request.method, request.url, request.headers);
  if (refused) {
    const [status, reason] = refused;
    response.writeHead(status, {
      "Content-Type": "text/plain; charset=utf-8",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
      ...(status === 405 ? { Allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" } : {}),
    });
    response.end(`${reason}\n`);
    return;
  }
  normalizeHeaders(request.headers, hops);
  request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "";
  void handle(request, response);
});
server.on("error", (error) => {
  console.error(`Tessera could not listen on ${hostname}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  console.log(`▲ Tessera listening on http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
  });
}
