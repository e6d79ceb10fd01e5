import type { InstructionMatch } from '../../../../shared/domain';
import { formatCount, plural } from '../../lib/format';
import { renderHighlights } from './highlight';
import { useSearch } from './searchStore';

/** The first task button of the first match, for the keyboard path from the search box. */
export const FIRST_INSTRUCTION_TASK_ID = 'instruction-task-first';

function MatchRow({ match, first }: { match: InstructionMatch; first: boolean }) {
  const openTask = useSearch.getState().openTask;
  const items = match.tasks.reduce((n, t) => n + t.itemCount, 0);
  return (
    <li className="instruction-match" data-testid="instruction-match" data-instruction-id={match.instructionId}>
      <div className="hit-snippet instruction-snippet">
        <span className="hit-field">instruction</span>
        <span className="hit-text">{renderHighlights(match.snippet)}</span>
      </div>
      <div className="instruction-tasks">
        <span className="muted">
          used by {plural(match.tasks.length, 'task')}
          {match.tasks.length > 1 ? ` (${plural(items, 'item')})` : ''}:
        </span>
        {match.tasks.map((t, i) => (
          <button
            key={t.taskId}
            id={first && i === 0 ? FIRST_INSTRUCTION_TASK_ID : undefined}
            type="button"
            className="instruction-task"
            data-testid="instruction-task"
            data-task-id={t.taskId}
            title={`List the items of ${t.benchmark} / ${t.task}`}
            onClick={() => void openTask(t)}
          >
            <span className="mono">{t.benchmark}</span> / {t.task}
            <span className="facet-count">{formatCount(t.itemCount)} items</span>
          </button>
        ))}
      </div>
    </li>
  );
}

/**
 * Instructions are shared by whole tasks, so a match in one is listed once, above the item
 * hits, with the tasks that use it; a click lists that task's items.
 */
export function InstructionMatches() {
  const matches = useSearch((s) => s.instructionMatches);
  if (matches.length === 0) return null;
  return (
    <section className="instruction-matches" aria-label="Matching instructions">
      <h3 className="section-label">{matches.length === 1 ? 'Matching instruction' : `Matching instructions (${formatCount(matches.length)})`}</h3>
      <ul>
        {matches.map((m, i) => (
          <MatchRow key={m.instructionId} match={m} first={i === 0} />
        ))}
      </ul>
    </section>
  );
}
