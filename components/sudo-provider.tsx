"use client";

import {
  createContext,
  useActionState,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useTransition,
  type FormEvent,
  type ReactNode,
  type RefObject,
} from "react";
import { useOrganizationSlug } from "@/components/organization-context";
import { Modal } from "@/components/ui/modal";
import { TextField } from "@/components/ui/text-field";
import { initialFormState, type FormState } from "@/lib/actions/form-state";
import { ORGANIZATION_FIELD } from "@/lib/actions/organization-field";
import { confirmPasswordAction } from "@/lib/actions/sudo";

type RequestConfirmation = () => Promise<boolean>;
const SudoContext = createContext<RequestConfirmation | null>(null);

/** Asks for the password ("Confirm your password") whenever a change comes back with needsSudo. */
export function SudoProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pending = useRef<((confirmed: boolean) => void) | null>(null);

  const request = useCallback<RequestConfirmation>(() => {
    pending.current?.(false);
    setOpen(true);
    return new Promise<boolean>((resolve) => {
      pending.current = resolve;
    });
  }, []);

  const settle = useCallback((confirmed: boolean) => {
    pending.current?.(confirmed);
    pending.current = null;
    setOpen(false);
  }, []);

  return (
    <SudoContext.Provider value={request}>
      {children}
      <Modal
        open={open}
        onOpenChange={(next) => (next ? setOpen(true) : settle(false))}
        title="Confirm your password"
        description="This change needs your password. Confirm it to continue; you will not be asked again for a few minutes."
      >
        {open ? <ConfirmPasswordForm onConfirmed={() => settle(true)} /> : null}
      </Modal>
    </SudoContext.Provider>
  );
}

// A plain submit handler, not useActionState: the change that asked for confirmation may itself
// be a pending action, and React would hold this form's updates until that one finished.
function ConfirmPasswordForm({ onConfirmed }: { onConfirmed: () => void }) {
  const [state, setState] = useState<FormState>(initialFormState);
  const [pending, setPending] = useState(false);
  const organization = useOrganizationSlug();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const result = await confirmPasswordAction(initialFormState, withOrganization(new FormData(event.currentTarget), organization));
    setPending(false);
    if (result.ok) onConfirmed();
    else setState(result);
  }

  return (
    <form onSubmit={submit} className="stack">
      <TextField
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        errors={state.fieldErrors.password}
      />
      <div className="modal-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Confirming…" : "Confirm"}
        </button>
      </div>
    </form>
  );
}

/** What a button sends to an action instead of a form: field name → value (a list repeats the field). */
type ActionFields = Record<string, string | readonly string[] | undefined>;

/**
 * Names the page's organization in an action's form data (lib/actions/console-action.ts), unless
 * the form chose one itself (Options' "Organization" field). Every console action acts in the
 * organization of the page that sent it, so two tabs work in two organizations at once.
 */
function withOrganization(formData: FormData, organization: string): FormData {
  if (!formData.has(ORGANIZATION_FIELD)) formData.set(ORGANIZATION_FIELD, organization);
  return formData;
}

function formDataOf(fields: ActionFields): FormData {
  const formData = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of typeof value === "string" ? [value] : (value ?? [])) formData.append(name, item);
  }
  return formData;
}

/**
 * Calls a server action from a button rather than a form, sending the given fields as its form
 * data, so that a "needs sudo" answer opens the password prompt and, once confirmed, runs the
 * same change again.
 */
export function useSudoAction<S extends FormState>(
  action: (previous: FormState, formData: FormData) => Promise<S>,
): (fields: ActionFields) => Promise<S | FormState> {
  const request = useContext(SudoContext);
  const organization = useOrganizationSlug();
  return useCallback(
    async (fields: ActionFields) => {
      const formData = withOrganization(formDataOf(fields), organization);
      const first = await action(initialFormState, formData);
      if (!first.needsSudo || !request) return first;
      if (!(await request())) {
        return { ok: false, message: "Cancelled: the change needs your password.", fieldErrors: {} };
      }
      return action(initialFormState, formData);
    },
    [action, request, organization],
  );
}

/**
 * useActionState for a form whose action may need a password confirmation: a "needs sudo"
 * answer opens the prompt and, once confirmed, submits the form again. Submission goes through
 * onSubmit rather than `<form action>`, because React resets a form after an action and that
 * would wipe the controlled fields (rep, permissions, expiration) the user just chose.
 */
export function useSudoFormAction<S extends FormState>(
  action: (previous: Awaited<S>, formData: FormData) => Promise<S>,
  initial: Awaited<S>,
): [Awaited<S>, (event: FormEvent<HTMLFormElement>) => void, boolean, RefObject<HTMLFormElement | null>] {
  const request = useContext(SudoContext);
  const organization = useOrganizationSlug();
  const form = useRef<HTMLFormElement>(null);
  const [state, formAction, pending] = useActionState<S, FormData>(action, initial);
  const [, startTransition] = useTransition();
  useEffect(() => {
    if (!state.needsSudo || !request) return;
    let cancelled = false;
    void request().then((confirmed) => {
      if (confirmed && !cancelled) form.current?.requestSubmit();
    });
    return () => {
      cancelled = true;
    };
  }, [state, request]);
  const onSubmit = useCallback(
    (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const formData = withOrganization(new FormData(event.currentTarget), organization);
      startTransition(() => formAction(formData));
    },
    [formAction, organization],
  );
  return [state, onSubmit, pending, form];
}
