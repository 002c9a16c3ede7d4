import type { InputHTMLAttributes } from "react";
import { Field } from "@/components/ui/field";

type TextFieldProps = InputHTMLAttributes<HTMLInputElement> & {
  name: string;
  label: string;
  errors?: string[];
  hint?: string;
};

/** A labelled input whose errors and hint are linked by aria-describedby. */
export function TextField({ name, label, errors, hint, id, ...input }: TextFieldProps) {
  return (
    <Field id={id ?? `field-${name}`} label={label} hint={hint} errors={errors}>
      {(control) => <input name={name} {...control} {...input} />}
    </Field>
  );
}
