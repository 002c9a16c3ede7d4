// `npm run keys:hash-status`: how many live tokens and client secrets are hashed under each
// TOKEN_HASH_KEY version. After rotating the key (README, "Rotating the token hash key"), drop
// TOKEN_HASH_KEY_PREVIOUS once no live token or client secret is left on it. Embedded mode (PGlite) allows one process at a time: stop
// the server first.
import { readHashKeyStatus } from "@/lib/tokens/hash-key-status";
import { runCommand } from "./run-command";

const LABELS = {
  current: "current key",
  previous: "previous key",
  unknown: "a key this server does not know: these tokens no longer work",
};

await runCommand(async () => {
  const status = await readHashKeyStatus();
  console.log("Live tokens (not revoked, not expired) and client secrets per token hash key version:");
  for (const { version, liveTokens, liveClientSecrets, key } of status) {
    console.log(`  version ${version}: ${liveTokens} token(s), ${liveClientSecrets} client secret(s) (${LABELS[key]})`);
  }
  const previous = status.find((row) => row.key === "previous");
  if (previous && previous.liveTokens + previous.liveClientSecrets === 0) {
    console.log("No live token or client secret is left on the previous key: TOKEN_HASH_KEY_PREVIOUS can go.");
  }
  const lost = status.filter((row) => row.key === "unknown").reduce((sum, row) => sum + row.liveTokens + row.liveClientSecrets, 0);
  if (lost > 0) console.log(`${lost} live token(s) or client secret(s) are on a key the server no longer knows.`);
});
