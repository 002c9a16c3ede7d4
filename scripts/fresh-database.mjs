// Creates (and drops) throw-away PostgreSQL databases beside the one DATABASE_URL names,
// so every test run starts empty and runs never share state.
import postgres from "postgres";

export async function createFreshDatabase(baseUrl, prefix) {
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropDatabase(baseUrl, name) {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}
