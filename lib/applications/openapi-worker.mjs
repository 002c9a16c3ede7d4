// Reads and validates one OpenAPI document off the server's request thread (issue 24, finding 3):
// lib/applications/openapi-reader.ts runs this file in a worker thread with a time budget and a
// memory cap, so a document built to be expensive (YAML aliases or $refs that expand a few
// kilobytes into millions of nodes) costs one worker, never every tenant's requests.
// Plain JavaScript, so Node runs it as it is, under vitest and `next start` alike.
import { parentPort, workerData } from "node:worker_threads";
import { normalize, validate } from "@scalar/openapi-parser";

const { text, maxNodes, maxTextBytes, maxDepth } = workerData;

const firstLine = (error) => (error instanceof Error ? error.message : String(error)).trim().split("\n")[0] ?? "";
const isRecord = (value) => typeof value === "object" && value !== null && !Array.isArray(value);

function read() {
  // Text that opens like JSON is read as JSON only, so a stray comma gets a JSON error, not a YAML one.
  if (/^\s*[[{]/.test(text)) {
    try {
      return { doc: JSON.parse(text) };
    } catch (error) {
      return { error: `The document is not valid JSON: ${firstLine(error)}` };
    }
  }
  try {
    return { doc: normalize(text) };
  } catch (error) {
    return { error: `The document is not valid YAML: ${firstLine(error)}` };
  }
}

/**
 * Walks the document as the validator will: a node that YAML aliases share is counted every time
 * it is reached, so the count is the expanded size. Text is counted the same way: an alias of one
 * long string, used many times, arrives in the server's thread as that many copies (objects are
 * sent once, strings are not). Stops at the first budget it exceeds.
 */
function expansionProblem(doc) {
  let nodes = 0;
  let textBytes = 0;
  const stack = [[doc, 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    nodes += 1;
    if (nodes > maxNodes)
      return `The document expands to more than ${maxNodes.toLocaleString("en-US")} nodes (YAML aliases are counted once per use).`;
    if (typeof node === "string") {
      textBytes += node.length;
      if (textBytes > maxTextBytes) {
        return `The document expands to more than ${maxTextBytes / 1024 / 1024} MiB of text (YAML aliases are counted once per use).`;
      }
    }
    if (typeof node !== "object" || node === null) continue;
    if (depth > maxDepth) return `The document nests deeper than ${maxDepth} levels.`;
    for (const value of Object.values(node)) stack.push([value, depth + 1]);
  }
  return null;
}

async function main() {
  const { doc, error } = read();
  if (error) return { ok: false, errors: [error] };
  if (!isRecord(doc)) return { ok: false, errors: ["The document is not an OpenAPI document: expected an object with an openapi field."] };
  const problem = expansionProblem(doc);
  if (problem) return { ok: false, errors: [problem] };
  try {
    const result = await validate(doc);
    const errors = result.valid
      ? []
      : (result.errors ?? []).map((each) => {
          const at = typeof each.path === "string" ? each.path : Array.isArray(each.path) ? each.path.join("/") : "";
          return at ? `${each.message} (at ${at})` : each.message;
        });
    const resolved = result.valid && isRecord(result.schema) ? result.schema : doc;
    // What goes back must be as bounded as what came in: $refs resolve to shared nodes too.
    const resolvedProblem = resolved === doc ? null : expansionProblem(resolved);
    if (resolvedProblem) return { ok: false, errors: [resolvedProblem] };
    return {
      ok: true,
      doc,
      resolved,
      validationErrors: result.valid || errors.length > 0 ? errors : ["The document is not a valid OpenAPI document."],
    };
  } catch (failure) {
    return { ok: true, doc, resolved: doc, validationErrors: [`The document could not be validated: ${firstLine(failure)}`] };
  }
}

parentPort?.postMessage(await main());
