import path from "node:path";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { getEnv } from "@/lib/env";
import { acquireDirectoryLock } from "./pglite-lock";
import * as schema from "./schema";
import { processSingleton } from "@/lib/shared/process-singleton";

type Schema = typeof schema;
/** One type for both drivers, so the same query code runs on PGlite and PostgreSQL. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: data-access helpers accept both. */
export type Executor = Database | Transaction;

/** Subscribes to a NOTIFY channel; onListen runs on every (re)connection of the listener. */
export type Listen = (channel: string, onNotify: (payload: string) => void, onListen: () => void) => Promise<void>;
export type Connection = { db: Database; close: () => Promise<void>; driver: "postgres" | "pglite"; listen: Listen };
export type DatabaseLocation = { databaseUrl?: string; pglitePath?: string };

const migrationsFolder = path.join(process.cwd(), "db", "migrations");

// Exactly one connection per process, however many bundles load this module.
const processConnection = processSingleton<Promise<Connection>>("db");

/** The process's database, connected and migrated on first use. */
export async function getDb(): Promise<Database> {
  return (await getConnection()).db;
}

export function getConnection(): Promise<Connection> {
  return processConnection.getOrCreate(() =>
    openDatabase(getEnv()).catch((error: unknown) => {
      processConnection.set(undefined);
      throw error;
    }),
  );
}

const closeHooks = new Set<() => void>();

/** Runs when the process's database is closed: state bound to the old connection must go too. */
export function onDatabaseClosed(hook: () => void): void {
  closeHooks.add(hook);
}

export async function closeDb(): Promise<void> {
  const pending = processConnection.get();
  processConnection.set(undefined);
  for (const hook of closeHooks) hook();
  if (pending) await (await pending).close();
}

/** Opens and migrates a database: PostgreSQL when a URL is given, else PGlite (in memory by default). */
export async function openDatabase(location: DatabaseLocation): Promise<Connection> {
  if (location.databaseUrl !== undefined) return connectPostgres(location.databaseUrl);
  return connectPglite(location.pglitePath ?? "memory://");
}

async function connectPostgres(url: string): Promise<Connection> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");

  // Several instances may start at once: one migrates while the others wait on the lock.
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrator`select pg_advisory_lock(hashtext('tessera:migrations'))`;
    await migrate(drizzle(migrator), { migrationsFolder });
  } finally {
    await migrator.end();
  }

  const client = postgres(url, { max: 10, onnotice: () => {} });
  const db = drizzle(client, { schema });
  // postgres.js keeps one dedicated LISTEN connection and re-listens after it drops.
  const listen: Listen = async (channel, onNotify, onListen) => {
    await client.listen(channel, onNotify, onListen);
  };
  return { db, driver: "postgres", close: () => client.end({ timeout: 5 }), listen };
}

async function connectPglite(dataPath: string): Promise<Connection> {
  const { PGlite } = await import("@electric-sql/pglite");
  // Token search's indexes (db/migrations/0006) need pg_trgm and btree_gin, PGlite contrib extensions.
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { btree_gin } = await import("@electric-sql/pglite/contrib/btree_gin");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");

  const inMemory = dataPath.startsWith("memory://");
  // PGlite has no lock across processes; a second writer would corrupt the files.
  const release = inMemory ? () => {} : acquireDirectoryLock(dataPath);
  try {
    const client = new PGlite(inMemory ? dataPath : path.resolve(dataPath), { extensions: { pg_trgm, btree_gin } });
    await client.waitReady;
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder });
    const listen: Listen = async (channel, onNotify, onListen) => {
      await client.listen(channel, onNotify);
      onListen();
    };
    return {
      db,
      driver: "pglite",
      listen,
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
