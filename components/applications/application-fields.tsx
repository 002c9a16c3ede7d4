import { Field } from "@/components/ui/field";
import { TextField } from "@/components/ui/text-field";
import type { FormState } from "@/lib/actions/form-state";

type ApplicationFieldsProps = {
  /** Prefix for the inputs' ids, so the create and edit dialogs never share one. */
  idPrefix: string;
  state: FormState;
  initial?: { name: string; audience: string; docsUrl: string; description: string };
};

/** Name, Audience, Docs URL and Description of an application, for the create and edit dialogs. */
export function ApplicationFields({ idPrefix, state, initial }: ApplicationFieldsProps) {
  const values = state.values ?? {};
  return (
    <>
      <TextField
        id={`${idPrefix}-name`}
        name="name"
        label="Name"
        required
        maxLength={100}
        defaultValue={values.name ?? initial?.name}
        errors={state.fieldErrors.name}
      />
      <TextField
        id={`${idPrefix}-audience`}
        name="audience"
        label="Audience"
        required
        spellCheck={false}
        autoComplete="off"
        className="mono"
        defaultValue={values.audience ?? initial?.audience}
        hint="The URI its resource servers expect in a token's aud claim, like https://api.example.com. Unique in your organization."
        errors={state.fieldErrors.audience}
      />
      <TextField
        id={`${idPrefix}-docs-url`}
        name="docsUrl"
        label="Docs URL"
        type="url"
        spellCheck={false}
        autoComplete="off"
        defaultValue={values.docsUrl ?? initial?.docsUrl}
        hint="Optional: an https:// link to the API's documentation."
        errors={state.fieldErrors.docsUrl}
      />
      <Field id={`${idPrefix}-description`} label="Description" hint="Optional." errors={state.fieldErrors.description}>
        {(control) => (
          <textarea name="description" rows={2} maxLength={500} defaultValue={values.description ?? initial?.description} {...control} />
        )}
      </Field>
    </>
  );
}
