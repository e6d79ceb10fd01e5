/**
 * Owns turning a failed call's error into per-field messages for a form: the boundary's
 * structured `issues` (path + message) and a domain error's `details.field`, each mapped onto
 * a form field by its dotted path, so no form parses message strings. What maps to no field
 * is returned as `rest`, for the form's general error note.
 */
import type { ApiErrorData } from '../../../shared/errors';

export interface FieldErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  rest: string[];
}

/** `fieldOf` names the form field an input path belongs to, or null when none shows it. */
export function fieldErrors<F extends string>(error: ApiErrorData, fieldOf: (path: string) => F | null): FieldErrors<F> {
  const fields: Partial<Record<F, string>> = {};
  const rest: string[] = [];
  const mark = (path: string, message: string): boolean => {
    const f = fieldOf(path);
    if (!f) return false;
    fields[f] = fields[f] ? `${fields[f]}; ${message}` : message;
    return true;
  };
  if (error.issues?.length) {
    for (const issue of error.issues) if (!mark(issue.path, issue.message)) rest.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    return { fields, rest };
  }
  const field = error.details?.field;
  if (typeof field === 'string' && mark(field, error.message)) return { fields, rest };
  return { fields, rest: [error.message] };
}
