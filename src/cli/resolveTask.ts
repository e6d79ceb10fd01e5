import type { TaskSummary } from '../shared/domain';
import { CliError } from './output';

/** A task may be named by id, by name, or as `benchmark/name` when names clash. */
export function resolveTask(tasks: TaskSummary[], ref: string): TaskSummary {
  if (/^\d+$/.test(ref)) {
    const byId = tasks.find((t) => t.id === Number(ref));
    if (byId) return byId;
  }
  const [bench, name] = ref.includes('/') ? (ref.split('/', 2) as [string, string]) : [undefined, ref];
  const matches = tasks.filter((t) => t.name.toLowerCase() === name.toLowerCase() && (!bench || t.benchmark === bench));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new CliError(`task "${ref}" is ambiguous: ${matches.map((t) => `${t.benchmark}/${t.name}`).join(', ')}`);
  }
  throw new CliError(`no task "${ref}" in the library (see \`medtask tasks\`)`);
}
