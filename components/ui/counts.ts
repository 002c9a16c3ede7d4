import type { CappedCount } from "@/lib/shared/keyset-cursor";

/** "1,234", or "10,000+" for a count that stopped at its cap. */
export const formatTotal = (count: CappedCount): string => `${count.total.toLocaleString("en-US")}${count.totalCapped ? "+" : ""}`;

/** "1 token", "1,234 tokens", "10,000+ tokens". */
export const formatCount = (count: CappedCount, noun: string): string =>
  `${formatTotal(count)} ${noun}${count.total === 1 && !count.totalCapped ? "" : "s"}`;
