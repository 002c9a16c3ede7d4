/**
 * A value that exists once per process. Next.js may load one module in several bundles of a
 * process (instrumentation, route handlers, server actions), each with a module scope of its own;
 * a slot on globalThis, named by a registered symbol, is the same for all of them.
 */
export type ProcessSingleton<T> = {
  get(): T | undefined;
  getOrCreate(create: () => T): T;
  /** Forgets the value (tests, a closed database), or replaces it. */
  set(value: T | undefined): void;
};

export function processSingleton<T>(name: string): ProcessSingleton<T> {
  const key = Symbol.for(`tessera.${name}`);
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  return {
    get: () => slots[key],
    getOrCreate: (create) => (slots[key] ??= create()),
    set: (value) => {
      slots[key] = value;
    },
  };
}
