/**
 * Boundary validation shared by both hosts: an untrusted name and payload in, an envelope out.
 * The one place where thrown errors become the envelope (see errors.ts for the model).
 */
import { callInputs, type CallHandlers, type CallName } from './contract';
import { boundMessage, toErrorData, type Envelope, type ValidationIssue } from './errors';

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(callInputs, name);
}

export function toValidationIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): ValidationIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function formatZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

export interface DispatchOptions {
  /** Sees every error that is not an expected one (a bug), with its stack, before it is reported. */
  onBug?: (call: string, err: unknown) => void;
}

export async function dispatchCall(handlers: CallHandlers, name: unknown, input: unknown, opts: DispatchOptions = {}): Promise<Envelope<unknown>> {
  if (!isCallName(name)) {
    const shown = typeof name === 'string' ? name.slice(0, 100) : typeof name;
    return { ok: false, error: { code: 'not_found', message: `unknown call "${shown}"` } };
  }
  const parsed = callInputs[name].safeParse(input ?? {});
  if (!parsed.success) {
    // zod quotes offending values in some messages: bound them so an error never echoes a huge input back.
    const issues = toValidationIssues(parsed.error.issues)
      .slice(0, 50)
      .map((i) => ({ path: i.path.slice(0, 200), message: boundMessage(i.message).slice(0, 500) }));
    return {
      ok: false,
      error: { code: 'invalid_input', message: boundMessage(`${name}: ${formatZodIssues(parsed.error.issues.slice(0, 50))}`), issues },
    };
  }
  try {
    const handler = handlers[name] as (args: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorData(err, (bug) => opts.onBug?.(name, bug)) };
  }
}

export { unwrap } from './errors';
