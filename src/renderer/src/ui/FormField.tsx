import type { ReactNode } from 'react';

interface FormFieldProps {
  /** The control's id, which the label names. */
  htmlFor: string;
  label: ReactNode;
  /** Shown under the control in place of the hint; marks the field invalid. */
  error?: string | null;
  /** The error's id, for the control's aria-describedby. */
  errorId?: string;
  /** The field's name on the error, for telling errors apart. */
  errorField?: string;
  hint?: ReactNode;
  /** More classes: `wide`, `grow`, `inline`… */
  className?: string;
  children: ReactNode;
}

/** A labelled form row: label, control, and the field's error or else its hint. */
export function FormField({ htmlFor, label, error, errorId, errorField, hint, className, children }: FormFieldProps) {
  return (
    <div className={`form-field${error ? ' invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {error ? (
        <span className="field-error" id={errorId} data-testid="field-error" data-field={errorField} role="alert">
          {error}
        </span>
      ) : (
        hint && <span className="field-hint">{hint}</span>
      )}
    </div>
  );
}
