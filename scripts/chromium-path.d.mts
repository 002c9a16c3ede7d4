export const CHROMIUM_CANDIDATES: string[];
export function findChromium(): string | null | undefined;
export const CHROMIUM_ARGS: string[];
