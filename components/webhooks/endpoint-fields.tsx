import { Field } from "@/components/ui/field";
import { TextField } from "@/components/ui/text-field";
import type { FormState } from "@/lib/actions/form-state";
import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS } from "@/lib/webhooks/events";

type EndpointFieldsProps = {
  /** Prefix for the inputs' ids, so the add and edit dialogs never share one. */
  idPrefix: string;
  state: FormState;
  initial?: { url: string; description: string; events: readonly string[] };
};

/** URL, Description and one checkbox per event, for the add and edit dialogs. */
export function EndpointFields({ idPrefix, state, initial }: EndpointFieldsProps) {
  const values = state.values;
  const chosen = new Set(values ? values.events?.split(" ") : (initial?.events ?? ["token.revoked", "token.leaked"]));
  const eventErrors = state.fieldErrors.events;
  return (
    <>
      <TextField
        id={`${idPrefix}-url`}
        name="url"
        label="URL"
        type="url"
        required
        spellCheck={false}
        autoComplete="off"
        className="mono"
        maxLength={2000}
        defaultValue={values?.url ?? initial?.url}
        hint="An https:// address on the public internet. Tessera POSTs each event there, signed per the Standard Webhooks specification."
        errors={state.fieldErrors.url}
      />
      <Field
        id={`${idPrefix}-description`}
        label="Description"
        hint="Optional: who runs it, what it is for."
        errors={state.fieldErrors.description}
      >
        {(control) => <input name="description" maxLength={200} defaultValue={values?.description ?? initial?.description} {...control} />}
      </Field>
      <fieldset className="permission-picker" aria-describedby={eventErrors?.length ? `${idPrefix}-events-error` : undefined}>
        <legend>Events</legend>
        {eventErrors?.length ? (
          <p id={`${idPrefix}-events-error`} className="field-error">
            {eventErrors.join(" ")}
          </p>
        ) : null}
        {WEBHOOK_EVENTS.map((event) => {
          const inputId = `${idPrefix}-event-${event}`;
          return (
            <div key={event} className="permission-option">
              <input
                id={inputId}
                type="checkbox"
                name="events"
                value={event}
                defaultChecked={chosen.has(event)}
                aria-describedby={`${inputId}-about`}
              />
              <label htmlFor={inputId}>{WEBHOOK_EVENT_LABELS[event]}</label>
              <span id={`${inputId}-about`} className="permission-about">
                <code>{event}</code> — {WEBHOOK_EVENT_DESCRIPTIONS[event]}
              </span>
            </div>
          );
        })}
      </fieldset>
    </>
  );
}
