/**
 * Boundary validation shared by both hosts: an untrusted name and payload in, an envelope out.
 */
import { callInputs, type CallHandlers, type CallName } from './contract';
import { toErrorData, type Envelope } from './errors';

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(callInputs, name);
}

export function formatZodIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message)).join('; ');
}

export async function dispatchCall(handlers: CallHandlers, name: unknown, input: unknown): Promise<Envelope<unknown>> {
  if (!isCallName(name)) {
    return { ok: false, error: { code: 'not_found', message: `unknown call "${String(name)}"` } };
  }
  const parsed = callInputs[name].safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: { code: 'invalid_input', message: `${name}: ${formatZodIssues(parsed.error.issues)}` },
    };
  }
  try {
    const handler = handlers[name] as (args: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toErrorData(err) };
  }
}

export { unwrap } from './errors';
