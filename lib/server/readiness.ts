import { sql } from "drizzle-orm";
import { getDb } from "@/db";

/** Whether the database answers within the time a load balancer will wait. */
export async function isDatabaseReady(timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = getDb()
    .then((db) => db.execute(sql`select 1`))
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
