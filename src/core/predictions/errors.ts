/** Errors of the prediction file parsers: they name the file, the line and the field (bad input in the error model). */
import { BadInputError } from '../errors';

export class PredictionsError extends BadInputError {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  constructor(file: string, problem: string, opts: { line?: number; field?: string } = {}) {
    const parts: string[] = [];
    if (opts.line !== undefined) parts.push(`line ${opts.line}`);
    if (opts.field !== undefined) parts.push(`field "${opts.field}"`);
    super(`${file}${parts.length ? `: ${parts.join(', ')}` : ''}: ${problem}`, { file, line: opts.line, field: opts.field });
    this.name = 'PredictionsError';
    this.file = file;
    this.line = opts.line;
    this.field = opts.field;
  }
}
