/** What every server action returns for expected outcomes (STYLE rule 4). */
export type FormState = {
  ok: boolean;
  message: string | null;
  fieldErrors: Partial<Record<string, string[]>>;
  /** Submitted values to put back in the form after a refusal (never passwords). */
  values?: Record<string, string>;
  /** The change needs a fresh password confirmation ("sudo mode") before it can run. */
  needsSudo?: boolean;
};

export const initialFormState: FormState = { ok: false, message: null, fieldErrors: {} };
