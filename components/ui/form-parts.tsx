import type { FormState } from "@/lib/actions/form-state";

/** The form-level message of a refused submission, announced to screen readers. */
export function FormError({ state }: { state: Pick<FormState, "ok" | "message"> }) {
  if (!state.message || state.ok) return null;
  return (
    <p role="alert" className="alert alert-error">
      {state.message}
    </p>
  );
}

/** The form-level outcome of the last submission: a success as a status, a refusal as an alert. */
export function FormOutcome({ state }: { state: Pick<FormState, "ok" | "message"> }) {
  if (!state.message) return null;
  return (
    <p role={state.ok ? "status" : "alert"} className={`alert ${state.ok ? "alert-success" : "alert-error"}`}>
      {state.message}
    </p>
  );
}

type SubmitActionsProps = { label: string; pendingLabel: string; pending: boolean; onCancel: () => void };

/** Cancel and the submit button (which names the action) at the foot of a dialog form. */
export function SubmitActions({ label, pendingLabel, pending, onCancel }: SubmitActionsProps) {
  return (
    <div className="modal-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" disabled={pending} aria-busy={pending}>
        {pending ? pendingLabel : label}
      </button>
    </div>
  );
}
