/**
 * Owns reading JSON the app stored in SQLite earlier (a run's spec, a model configuration's
 * settings) through the shared schema that wrote it. A row from a newer version (a field this
 * build does not know) or a broken one fails with a clear, typed error naming the row, instead
 * of a crash deep in a caller or silently wrong settings.
 */
import type { z } from 'zod';
import { DomainError, type ErrorDetails } from './errors';

/** A stored row this build cannot read; it is left as it is. */
export class StoredDataError extends DomainError {
  constructor(message: string, details?: ErrorDetails) {
    super('unsupported', message, details);
  }
}

/**
 * `text` parsed and checked against `schema`; `what` names the row for people, e.g.
 * "run 12's saved settings".
 */
export function readStoredJson<S extends z.ZodType>(schema: S, text: string, what: string, details?: ErrorDetails): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StoredDataError(`${what} were written by a newer or broken version of MedTask Studio: not valid JSON`, details);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<S>;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  throw new StoredDataError(
    `${what} were written by a newer or broken version of MedTask Studio: ${where}${issue?.message ?? 'not what this version expects'}`,
    details,
  );
}
