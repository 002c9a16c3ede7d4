// Next.js calls register() once per server process, before the first request.
export async function register(): Promise<void> {
  // The edge runtime has no database access; only the Node.js server starts Tessera.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("./lib/server/startup");
  await startServer();
}
