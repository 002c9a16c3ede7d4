// How the server's request thread fares while OpenAPI imports run (issue 24, finding 3): ten
// imports of the reviewer's alias-bomb document at once, in this process, while a timer measures
// how long the event loop stalls. Before imports ran in workers, each stalled it for seconds.
//
//   npm run bench:import
import { monitorEventLoopDelay } from "node:perf_hooks";
import { scopesFromOpenApi } from "../lib/applications/openapi-import";

function aliasBomb(properties = 2_000, aliases = 4_000): string {
  const anchor = Array.from({ length: properties }, (_, i) => `    p${i}: { type: string }`).join("\n");
  const uses = Array.from({ length: aliases }, (_, i) => `  s${i}: *big`).join("\n");
  return `openapi: 3.1.0\ninfo: { title: Bomb, version: "1" }\npaths: {}\nx-big: &big\n  type: object\n  properties:\n${anchor}\nx-uses:\n${uses}\n`;
}

const text = aliasBomb();
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const started = performance.now();
const results = await Promise.all(Array.from({ length: 10 }, () => scopesFromOpenApi(text)));
const elapsed = performance.now() - started;
delay.disable();
console.log(`document: ${(text.length / 1024).toFixed(0)} KB; 10 imports at once in ${(elapsed / 1000).toFixed(2)} s`);
console.log(
  `refused: ${results.filter((result) => !result.ok).length}/10 (${results[0] && !results[0].ok ? results[0].errors[0] : "accepted"})`,
);
console.log(
  `event loop delay: p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(1)} ms`,
);
