export function createFreshDatabase(baseUrl: string, prefix: string): Promise<{ name: string; url: string }>;
export function dropDatabase(baseUrl: string, name: string): Promise<void>;
