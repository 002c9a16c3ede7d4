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

/** A change that went through, with what to tell the user. */
export const succeeded = (message: string | null): FormState => ({ ok: true, message, fieldErrors: {} });

/** Fields that no console form sends this way: a direct POST, not a person's typing. */
export const MALFORMED_REQUEST: FormState = { ok: false, message: "The request was malformed.", fieldErrors: {} };
