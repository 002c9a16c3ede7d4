import { scopeIdProblem } from "@/lib/applications/scope-id";
import { READ_BUDGET, readOpenApiDocument } from "./openapi-reader";

export type ImportedScope = { id: string; description: string; group: string; docsUrl: string | null; operations: string[] };
export type ImportResult = { ok: true; title: string; scopes: ImportedScope[] } | { ok: false; errors: string[] };
export type CatalogScope = { id: string; description: string; group: string; docsUrl: string | null; deprecated: boolean };
export type CatalogDiff = {
  added: ImportedScope[];
  changed: { id: string; before: CatalogScope; after: ImportedScope; fields: ("description" | "group" | "docsUrl")[] }[];
  deprecated: CatalogScope[];
  revived: ImportedScope[];
  unchanged: string[];
};

const MAX_BYTES = 1024 * 1024;
const MAX_SCOPES = 500;
const MAX_DESCRIPTION = 500;
// Past this many, a list of validation errors stops helping anyone fix the document.
const MAX_LISTED_ERRORS = 20;
// Real documents nest a few dozen levels; far deeper only serves to exhaust the validator's stack.
const MAX_DEPTH = READ_BUDGET.maxDepth;
const FLOWS = new Set(["implicit", "password", "clientCredentials", "authorizationCode"]);
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const VERB_FIRST = /^(read|write|admin|delete|manage):(.+)$/;
const DIFFED_FIELDS = ["description", "group", "docsUrl"] as const;

type Doc = Record<string, unknown>;
type Failure = { ok: false; errors: string[] };
type Found = { description: string; operations: Set<string> };

const fail = (...errors: string[]): Failure => ({ ok: false, errors });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function listed(errors: string[]): string[] {
  if (errors.length <= MAX_LISTED_ERRORS) return errors;
  return [...errors.slice(0, MAX_LISTED_ERRORS), `…and ${errors.length - MAX_LISTED_ERRORS} more.`];
}

function clip(text: string): string {
  if (text.length <= MAX_DESCRIPTION) return text;
  // Never end on half a surrogate pair: the stored text must stay valid Unicode.
  const cut = text.slice(0, MAX_DESCRIPTION - 1).replace(/[\uD800-\uDBFF]$/, "");
  return `${cut}…`;
}

function sizeProblem(text: string): string | null {
  if (text.length > MAX_BYTES || new TextEncoder().encode(text).length > MAX_BYTES) return "The document is larger than 1 MiB.";
  if (text.trim() === "") return "The document is empty.";
  return null;
}

function versionProblem(doc: Doc): string | null {
  const version = doc.openapi;
  if ("swagger" in doc || (typeof version === "string" && !version.startsWith("3."))) return "Only OpenAPI 3 documents can be imported.";
  if (typeof version !== "string") return "The document has no openapi version field: only OpenAPI 3.0 and 3.1 documents can be imported.";
  if (!/^3\.[01](\.|$)/.test(version)) return `OpenAPI ${version} is not supported: only OpenAPI 3.0 and 3.1 documents can be imported.`;
  return null;
}

// Every $ref that leaves the document (URL, file, relative path), and whether it nests too deep
// for the validator's recursion. Walked with an explicit stack for that same reason; YAML aliases
// can share one node, so each is visited once.
function inspect(doc: Doc): { externalRefs: string[]; tooDeep: boolean } {
  const found = new Set<string>();
  const seen = new Set<object>();
  const stack: [unknown, number][] = [[doc, 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [node, depth] = entry;
    if (typeof node !== "object" || node === null || seen.has(node)) continue;
    if (depth > MAX_DEPTH) return { externalRefs: [...found], tooDeep: true };
    seen.add(node);
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string" && !value.startsWith("#")) found.add(value);
      else stack.push([value, depth + 1]);
    }
  }
  return { externalRefs: [...found], tooDeep: false };
}

// Scopes of every oauth2 scheme, all flows merged; the first non-empty description of an id, in
// document order, wins.
function definedScopes(doc: Doc): { scopes: Map<string, Found>; schemes: Set<string> } {
  const scopes = new Map<string, Found>();
  const schemes = new Set<string>();
  const securitySchemes = isRecord(doc.components) ? doc.components.securitySchemes : undefined;
  if (!isRecord(securitySchemes)) return { scopes, schemes };
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    if (!isRecord(scheme) || scheme.type !== "oauth2" || !isRecord(scheme.flows)) continue;
    schemes.add(name);
    for (const [flowName, flow] of Object.entries(scheme.flows)) {
      if (!FLOWS.has(flowName) || !isRecord(flow) || !isRecord(flow.scopes)) continue;
      for (const [id, text] of Object.entries(flow.scopes)) {
        const description = typeof text === "string" ? text.trim() : "";
        const known = scopes.get(id);
        if (!known) scopes.set(id, { description, operations: new Set() });
        else if (known.description === "") known.description = description;
      }
    }
  }
  return { scopes, schemes };
}

function collectOperations(doc: Doc, schemes: Set<string>, scopes: Map<string, Found>): void {
  const documentWide: unknown[] = Array.isArray(doc.security) ? doc.security : [];
  if (!isRecord(doc.paths)) return;
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isRecord(item)) continue;
    for (const method of METHODS) {
      const operation = item[method];
      if (!isRecord(operation)) continue;
      // An operation's own list replaces the document's; an empty list means it needs no auth.
      const requirements: unknown[] = Array.isArray(operation.security) ? operation.security : documentWide;
      for (const requirement of requirements) {
        if (!isRecord(requirement)) continue;
        for (const [scheme, needed] of Object.entries(requirement)) {
          if (!schemes.has(scheme) || !Array.isArray(needed)) continue;
          for (const id of needed) {
            if (typeof id === "string") scopes.get(id)?.operations.add(`${method.toUpperCase()} ${path}`);
          }
        }
      }
    }
  }
}

function groupOf(id: string): string {
  const verbFirst = VERB_FIRST.exec(id);
  const subject = verbFirst?.[2] ?? id;
  return subject.split(":")[0] ?? subject;
}

function docsUrlOf(doc: Doc): string | null {
  const url = isRecord(doc.externalDocs) ? doc.externalDocs.url : undefined;
  if (typeof url !== "string" || url.length > 2048) return null;
  try {
    return new URL(url).protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/**
 * Reads an OpenAPI 3.0/3.1 document (JSON or YAML text) into a scope catalog. Nothing outside the
 * text is ever read: a $ref to a URL or file fails the import instead of being fetched, so pasting
 * a document cannot make the server call an internal address or read its disk.
 */
export async function scopesFromOpenApi(text: string): Promise<ImportResult> {
  const tooLarge = sizeProblem(text);
  if (tooLarge) return fail(tooLarge);
  // Parsing and validation run in a worker with a time and memory budget (./openapi-reader.ts).
  const read = await readOpenApiDocument(text);
  if (!read.ok) return fail(...listed(read.errors));
  const versionError = versionProblem(read.doc);
  if (versionError) return fail(versionError);
  const { externalRefs: outside, tooDeep } = inspect(read.doc);
  if (tooDeep) return fail(`The document nests deeper than ${MAX_DEPTH} levels.`);
  if (outside.length > 0) {
    return fail(
      ...listed(
        outside.map((ref) => `${JSON.stringify(ref)} points outside the document: only references within it (#/…) can be imported.`),
      ),
    );
  }
  if (read.validationErrors.length > 0) return fail(...listed(read.validationErrors));
  const doc = read.resolved;

  const { scopes, schemes } = definedScopes(doc);
  if (scopes.size === 0) return fail("The document defines no OAuth2 scopes.");
  if (scopes.size > MAX_SCOPES) return fail(`The document defines ${scopes.size} scopes: at most ${MAX_SCOPES} can be imported.`);
  // All or nothing: a catalog with some scopes silently missing would be worse than none.
  const idErrors = [...scopes.keys()].map(scopeIdProblem).filter((problem): problem is string => problem !== null);
  if (idErrors.length > 0) return fail(...idErrors);

  collectOperations(doc, schemes, scopes);
  const docsUrl = docsUrlOf(doc);
  const title = isRecord(doc.info) && typeof doc.info.title === "string" ? doc.info.title.trim() : "";
  const imported = [...scopes].map(([id, found]): ImportedScope => {
    const operations = [...found.operations].sort();
    const fallback = `Operations: ${operations.length > 0 ? operations.join(", ") : "none"}`;
    return {
      id,
      description: clip(found.description || fallback),
      group: groupOf(id),
      docsUrl: operations.length > 0 ? docsUrl : null,
      operations,
    };
  });
  return { ok: true, title, scopes: imported };
}

/**
 * What importing `imported` does to the `current` catalog. A live scope missing from the document
 * is deprecated, never deleted (its tokens stop using it until it is restored); a deprecated one
 * that is back is revived. Already-deprecated scopes still missing appear in no list: nothing happens to them.
 */
export function diffCatalog(current: readonly CatalogScope[], imported: readonly ImportedScope[]): CatalogDiff {
  const byId = new Map(current.map((scope) => [scope.id, scope]));
  const present = new Set<string>();
  const diff: CatalogDiff = { added: [], changed: [], deprecated: [], revived: [], unchanged: [] };
  for (const scope of imported) {
    if (present.has(scope.id)) continue;
    present.add(scope.id);
    const before = byId.get(scope.id);
    if (!before) diff.added.push(scope);
    else if (before.deprecated) diff.revived.push(scope);
    else {
      const fields = DIFFED_FIELDS.filter((field) => before[field] !== scope[field]);
      if (fields.length > 0) diff.changed.push({ id: scope.id, before, after: scope, fields });
      else diff.unchanged.push(scope.id);
    }
  }
  diff.deprecated = current.filter((scope) => !scope.deprecated && !present.has(scope.id));
  return diff;
}
