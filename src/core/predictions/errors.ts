/** Errors of the prediction file parsers: they name the file, the line and the field. */
export class PredictionsError extends Error {
  readonly file: string;
  readonly line: number | undefined;
  readonly field: string | undefined;
  constructor(file: string, problem: string, opts: { line?: number; field?: string } = {}) {
    const parts: string[] = [];
    if (opts.line !== undefined) parts.push(`line ${opts.line}`);
    if (opts.field !== undefined) parts.push(`field "${opts.field}"`);
    super(`${file}${parts.length ? `: ${parts.join(', ')}` : ''}: ${problem}`);
    this.name = 'PredictionsError';
    this.file = file;
    this.line = opts.line;
    this.field = opts.field;
  }
}
