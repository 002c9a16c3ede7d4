// How an audit event's details read for people (the log page and its CSV): every change as
// "field: old → new", anything else as "field: value". Pure, so both render the same.

import type { Change } from "./record";

export type ChangeLine = { field: string; from: string; to: string } | { field: string; value: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const isChange = (value: unknown): value is Change => isRecord(value) && "from" in value && "to" in value;

export function formatAuditValue(value: unknown): string {
  if (value === null || value === undefined) return "none";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(formatAuditValue).join(", ");
  if (typeof value === "string") return value === "" ? "(empty)" : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

export function describeChanges(details: Record<string, unknown>): ChangeLine[] {
  const lines: ChangeLine[] = [];
  for (const [field, value] of Object.entries(details)) {
    if (field === "changes" && isRecord(value)) {
      for (const [changed, change] of Object.entries(value)) lines.push(toLine(changed, change));
    } else {
      lines.push(toLine(field, value));
    }
  }
  return lines;
}

function toLine(field: string, value: unknown): ChangeLine {
  if (isChange(value)) return { field, from: formatAuditValue(value.from), to: formatAuditValue(value.to) };
  return { field, value: formatAuditValue(value) };
}

export function changeLineText(line: ChangeLine): string {
  return "value" in line ? `${line.field}: ${line.value}` : `${line.field}: ${line.from} → ${line.to}`;
}

/**
 * One CSV field (RFC 4180). A leading =, +, - or @ is defused with an apostrophe so that a
 * spreadsheet does not run a description someone typed as a formula.
 */
export function csvField(value: string | null | undefined): string {
  let text = value ?? "";
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (fields: (string | null | undefined)[]) => `${fields.map(csvField).join(",")}\r\n`;
