import { useId, type ReactNode } from "react";
import type { CatalogDiff } from "@/lib/applications/openapi-import";

/** What an import does to the catalog, one labelled list per kind of change. */
export function ImportDiff({ diff }: { diff: CatalogDiff }) {
  const nothing = diff.added.length + diff.changed.length + diff.deprecated.length + diff.revived.length === 0;
  return (
    <div className="stack import-diff">
      {nothing ? <p>The catalog already matches this document: importing changes nothing.</p> : null}
      <DiffList title="Added" items={diff.added.map((scope) => ({ id: scope.id, detail: scope.description }))} />
      <DiffList
        title="Changed"
        items={diff.changed.map((change) => ({
          id: change.id,
          detail: change.fields.map((field) => (
            <span key={field} className="change-list">
              {" "}
              {field}: <del>{change.before[field] ?? "none"}</del> → <ins>{change.after[field] ?? "none"}</ins>
            </span>
          )),
        }))}
      />
      <DiffList
        title="Deprecated"
        items={diff.deprecated.map((scope) => ({ id: scope.id, detail: "no longer in the document; tokens holding it stop using it" }))}
      />
      <DiffList title="Restored" items={diff.revived.map((scope) => ({ id: scope.id, detail: scope.description }))} />
      {diff.unchanged.length > 0 ? (
        <p className="muted">
          {diff.unchanged.length.toLocaleString("en-US")} scope{diff.unchanged.length === 1 ? "" : "s"} unchanged.
        </p>
      ) : null}
    </div>
  );
}

function DiffList({ title, items }: { title: string; items: { id: string; detail: ReactNode }[] }) {
  const headingId = useId();
  if (items.length === 0) return null;
  return (
    <div>
      <h3 id={headingId}>
        {title} ({items.length.toLocaleString("en-US")})
      </h3>
      <ul aria-labelledby={headingId} className="compact-list">
        {items.map((item) => (
          <li key={item.id}>
            <code>{item.id}</code> <span className="muted">{item.detail}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
