"use client";

import { useId, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { ImportDiff } from "@/components/applications/import-diff";
import { useSudoAction } from "@/components/sudo-provider";
import { Modal } from "@/components/ui/modal";
import { applyImportAction, previewImportAction, type ImportFormState } from "@/lib/actions/applications";
import { initialFormState } from "@/lib/actions/form-state";
import type { ApplicationCatalog } from "@/lib/applications/catalog";
import type { ImportPreview } from "@/lib/applications/import";

// The server refuses larger documents too; checking here spares uploading one.
const MAX_BYTES = 1024 * 1024;

type ImportDialogProps = { application: ApplicationCatalog; onClose: (message?: string) => void };

/**
 * Paste or upload an OpenAPI 3 document, preview what it changes in the catalog, then import it.
 * Import applies exactly the text that was previewed; editing it asks for a new preview.
 */
export function ImportDialog({ application, onClose }: ImportDialogProps) {
  const id = useId();
  const [text, setText] = useState("");
  const [state, setState] = useState<ImportFormState>(initialFormState);
  const [previewed, setPreviewed] = useState<{ document: string; preview: ImportPreview } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  // Bumped by every edit, so a preview that returns after the text changed is dropped.
  const revision = useRef(0);
  const [importing, setImporting] = useState(false);
  const applyImport = useSudoAction(applyImportAction);
  const previewImport = useSudoAction(previewImportAction);
  const errors = state.fieldErrors.document;
  const errorId = `${id}-errors`;

  function changeText(next: string) {
    revision.current += 1;
    setText(next);
    setPreviewed(null);
    setState(initialFormState);
  }

  async function readFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    if (file.size > MAX_BYTES) {
      revision.current += 1;
      setPreviewed(null);
      setState({ ok: false, message: "The file cannot be imported.", fieldErrors: { document: [`${file.name} is larger than 1 MiB.`] } });
      return;
    }
    changeText(await file.text());
  }

  async function preview(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitted = { text, revision: revision.current };
    if (new TextEncoder().encode(submitted.text).length > MAX_BYTES) {
      setPreviewed(null);
      setState({
        ok: false,
        message: "The document cannot be imported.",
        fieldErrors: { document: ["The document is larger than 1 MiB."] },
      });
      return;
    }
    setPreviewing(true);
    let result: ImportFormState;
    try {
      result = await previewImport({ id: application.id, document: submitted.text });
    } finally {
      setPreviewing(false);
    }
    if (submitted.revision !== revision.current) return;
    setState(result);
    setPreviewed(result.ok && result.preview ? { document: submitted.text, preview: result.preview } : null);
  }

  async function apply() {
    if (!previewed) return;
    setImporting(true);
    let result: ImportFormState;
    try {
      result = await applyImport({ id: application.id, document: previewed.document });
    } finally {
      setImporting(false);
    }
    if (result.ok) onClose(result.message ?? undefined);
    else setState(result);
  }

  return (
    <Modal
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title="Import from OpenAPI"
      description="Scopes come from the document's OAuth2 security schemes. Scopes it no longer lists are deprecated, never deleted."
      wide
    >
      <form onSubmit={preview} className="stack" noValidate>
        {state.message && !state.ok ? (
          <div role="alert" className="alert alert-error">
            <p>{state.message}</p>
            {errors?.length ? (
              <ul id={errorId} className="compact-list">
                {errors.map((error) => (
                  <li key={error}>{error}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-document`}>OpenAPI document</label>
          <textarea
            id={`${id}-document`}
            name="document"
            rows={10}
            className="mono"
            spellCheck={false}
            value={text}
            onChange={(event) => changeText(event.target.value)}
            aria-invalid={errors?.length ? true : undefined}
            aria-describedby={[`${id}-document-hint`, errors?.length ? errorId : null].filter(Boolean).join(" ")}
          />
          <p id={`${id}-document-hint`} className="field-hint">
            Paste an OpenAPI 3 document (JSON or YAML, at most 1 MiB), or upload it.
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-file`}>Upload file</label>
          <input id={`${id}-file`} type="file" accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" onChange={readFile} />
        </div>
        {previewed ? (
          <section aria-label="Preview" className="card">
            <p className="cell-title">{previewed.preview.title}</p>
            <ImportDiff diff={previewed.preview.diff} />
          </section>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className={previewed ? "button" : "button button-primary"} disabled={previewing} aria-busy={previewing}>
            {previewing ? "Previewing…" : "Preview"}
          </button>
          {previewed ? (
            <button type="button" className="button button-primary" onClick={apply} disabled={importing} aria-busy={importing}>
              {importing ? "Importing…" : "Import"}
            </button>
          ) : null}
        </div>
      </form>
    </Modal>
  );
}
