import type { KeyboardEvent } from 'react';
import { focusById } from '../../lib/listKeys';
import { FIRST_INSTRUCTION_TASK_ID } from './InstructionMatches';
import { isActive, useSearch } from './searchStore';

export const SEARCH_INPUT_ID = 'search-input';

/** The search field in the top bar. Ctrl+K or `/` (see App) put the cursor here. */
export function SearchBox() {
  const query = useSearch((s) => s.query);
  const loading = useSearch((s) => s.loading);
  const { setQuery, clear, submit, select } = useSearch.getState();

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing) return;
    switch (event.key) {
      case 'Escape':
        event.preventDefault();
        if (isActive(query)) clear();
        else {
          event.currentTarget.blur();
          focusById('item-list');
        }
        return;
      case 'Enter':
        event.preventDefault();
        void submit();
        return;
      case 'ArrowDown': {
        const { hits, cursor, instructionMatches } = useSearch.getState();
        if (hits.length === 0) {
          // Only instructions matched: go to the first task that uses one.
          if (instructionMatches.length === 0) return;
          event.preventDefault();
          document.getElementById(FIRST_INSTRUCTION_TASK_ID)?.focus();
          return;
        }
        event.preventDefault();
        if (cursor === null) select(0);
        // The list is already on screen, so focus it now: the next key press must land there.
        document.getElementById('search-hit-list')?.focus();
        return;
      }
      default:
        return;
    }
  };

  return (
    <div className="search-box" role="search">
      <label className="bar-label" htmlFor="search-input">
        Search
      </label>
      <input
        id="search-input"
        data-testid="search-input"
        className="search-input"
        type="search"
        spellCheck={false}
        autoComplete="off"
        placeholder={'Search every item: words, "a phrase", prefix* (Ctrl+K or /)'}
        // The results pane exists only while a query is active; a reference to nothing is invalid ARIA.
        aria-controls={isActive(query) ? 'search-results' : undefined}
        aria-busy={loading}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
