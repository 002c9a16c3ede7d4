import Form from "next/form";
import { AUDIT_ACTIONS } from "@/lib/audit/record";

type Person = { id: string; username: string; displayName: string };
type AuditFiltersProps = {
  /** The audit page of the organization, where the filters lead. */
  path: string;
  people: Person[];
  query: { action?: string; actorId?: string; targetUserId?: string; from?: string; to?: string };
};

/** Filters live in the URL (a GET form), so a view of the log can be bookmarked and exported. */
export function AuditFilters({ path, people, query }: AuditFiltersProps) {
  const options = people.map((person) => (
    <option key={person.id} value={person.id}>
      {person.displayName} ({person.username})
    </option>
  ));
  return (
    <Form action={path} className="filters" aria-label="Filter the audit log">
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" name="action" defaultValue={query.action ?? ""}>
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-actor">Actor</label>
        <select id="audit-actor" name="actor" defaultValue={query.actorId ?? ""}>
          <option value="">Anyone</option>
          {options}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-rep">Target rep</label>
        <select id="audit-rep" name="rep" defaultValue={query.targetUserId ?? ""}>
          <option value="">Any rep</option>
          {options}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-from">From</label>
        <input id="audit-from" type="date" name="from" defaultValue={query.from ?? ""} />
      </div>
      <div className="field">
        <label htmlFor="audit-to">To</label>
        <input id="audit-to" type="date" name="to" defaultValue={query.to ?? ""} />
      </div>
      <button type="submit" className="button">
        Apply
      </button>
    </Form>
  );
}
