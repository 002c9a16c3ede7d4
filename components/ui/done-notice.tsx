/** A dialog's last word when the change went through and there is nothing to hand over: what happened, and "Done". */
export function DoneNotice({ message, onDone }: { message: string | null; onDone: () => void }) {
  return (
    <div className="stack">
      <p role="status" className="alert alert-success">
        {message}
      </p>
      <div className="modal-actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
