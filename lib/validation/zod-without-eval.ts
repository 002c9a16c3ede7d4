import { z } from "zod";

// Under the CSP (no 'unsafe-eval') zod's compiled fast path is unavailable anyway, and probing for
// it with `new Function` is reported as a violation. Import this before anything builds schemas.
z.config({ jitless: true });
