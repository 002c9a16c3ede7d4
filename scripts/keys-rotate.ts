// `npm run keys:rotate`: makes a new key sign exchanged JWTs from now on. The previous key stays
// in /.well-known/jwks.json until every JWT it signed has expired (15 minutes + margin), so
// resource servers keep verifying them. Running servers pick the new key up within a minute.
// Embedded mode (PGlite) allows one process at a time: stop the server first.
import { rotateSigningKey, SigningKeyError } from "@/lib/oauth/signing-keys";
import { JWT_MAX_LIFETIME_SECONDS, KEY_PUBLICATION_MARGIN_SECONDS } from "@/lib/oauth/vocabulary";
import { runCommand } from "./run-command";

await runCommand(async () => {
  const { kid, superseded } = await rotateSigningKey();
  console.log(`New signing key: ${kid}.`);
  if (superseded.length > 0) {
    const minutes = (JWT_MAX_LIFETIME_SECONDS + KEY_PUBLICATION_MARGIN_SECONDS) / 60;
    console.log(`Superseded: ${superseded.join(", ")} (published for ${minutes} more minutes).`);
  }
}, [SigningKeyError]);
