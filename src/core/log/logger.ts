/**
 * The engine's log: levels, one file in the data directory with size-based rotation, and an
 * optional echo (the CLI's `--verbose`). Clinical text stays out of it: at info level and
 * above, string fields are cut to a short length so an item's input or output can never be
 * written whole; full values only at debug, which is never on by default.
 */
import fs from 'node:fs';
import path from 'node:path';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface LoggerOptions {
  /** The log file; omitted: nothing is written to disk. */
  file?: string;
  /** Lowest level written (default info). */
  level?: LogLevel;
  /** Lowest level echoed (default: the file's level). */
  echoLevel?: LogLevel;
  /** Where echoed lines go (e.g. stderr for `--verbose`). */
  echo?: (line: string) => void;
  /** Rotate when the file grows past this (default 1 MiB); keeps `keep` old files (default 3). */
  maxBytes?: number;
  keep?: number;
}

/** Longest string field written at info level or above. */
export const MAX_FIELD_CHARS = 120;

export class Logger {
  private readonly rank: number;
  private readonly echoRank: number;
  private readonly maxBytes: number;
  private readonly keep: number;
  private size = -1;

  constructor(
    private readonly opts: LoggerOptions = {},
    private readonly scope = 'core',
  ) {
    this.rank = LOG_LEVELS.indexOf(opts.level ?? 'info');
    this.echoRank = LOG_LEVELS.indexOf(opts.echoLevel ?? opts.level ?? 'info');
    this.maxBytes = opts.maxBytes ?? 1024 * 1024;
    this.keep = opts.keep ?? 3;
  }

  /** The same sinks under another scope, e.g. `log.child('runs')`. */
  child(scope: string): Logger {
    return new Logger(this.opts, scope);
  }

  debug(message: string, fields?: LogFields): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.write('warn', message, fields);
  }
  /** An error with its stack (bugs): the stack is code locations, never item text. */
  error(message: string, err?: unknown, fields?: LogFields): void {
    const stack = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : err === undefined ? undefined : String(err);
    this.write('error', message, fields, stack);
  }

  private write(level: LogLevel, message: string, fields: LogFields | undefined, stack?: string): void {
    const rank = LOG_LEVELS.indexOf(level);
    const toFile = this.opts.file !== undefined && rank >= this.rank;
    const toEcho = this.opts.echo !== undefined && rank >= this.echoRank;
    if (!toFile && !toEcho) return;
    const line = formatLine(new Date(), level, this.scope, message, level === 'debug' ? fields : redact(fields), stack);
    if (toEcho) this.opts.echo!(line);
    if (toFile) this.append(line);
  }

  private append(line: string): void {
    const file = this.opts.file!;
    try {
      if (this.size < 0) {
        fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
        this.size = fs.existsSync(file) ? fs.statSync(file).size : 0;
      }
      const bytes = Buffer.byteLength(line) + 1;
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate(file);
      fs.appendFileSync(file, `${line}\n`, { mode: 0o600 });
      this.size += bytes;
    } catch {
      // A log that cannot be written must never take the engine down with it.
    }
  }

  private rotate(file: string): void {
    for (let i = this.keep - 1; i >= 1; i--) {
      if (fs.existsSync(`${file}.${i}`)) fs.renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    if (this.keep > 0) fs.renameSync(file, `${file}.1`);
    else fs.rmSync(file, { force: true });
    this.size = 0;
  }
}

/** Cuts long strings so item text cannot reach the log at info level or above. */
export function redact(fields: LogFields | undefined): LogFields | undefined {
  if (!fields) return undefined;
  const out: LogFields = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = typeof v === 'string' && v.length > MAX_FIELD_CHARS ? `<${v.length} characters>` : v;
  }
  return out;
}

function formatLine(time: Date, level: LogLevel, scope: string, message: string, fields: LogFields | undefined, stack: string | undefined): string {
  let line = `${time.toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message.replace(/\s*\n\s*/g, ' ')}`;
  if (fields) {
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${JSON.stringify(v)}`;
  }
  if (stack) line += `\n    ${stack.split('\n').join('\n    ')}`;
  return line;
}

/** The data directory's log file. */
export function logFile(home: string): string {
  return path.join(home, 'logs', 'medtask.log');
}

/** A logger that writes nowhere (tests, tools). */
export const silentLogger = new Logger();
