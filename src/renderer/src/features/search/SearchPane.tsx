import { useEffect, useRef, type KeyboardEvent } from 'react';
import { formatCount, plural } from '../../lib/format';
import { focusById, listKeyHandler } from '../../lib/listKeys';
import { hasMoreHits, SEARCH_PAGE_SIZE, useSearch } from './searchStore';
import { useItemView } from '../library/itemViewStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { InstructionMatches } from './InstructionMatches';
import { Pane } from '../../ui/Pane';
import { SearchFacets } from './SearchFacets';
import { SearchHitRow } from './SearchHitRow';
import { SEARCH_INPUT_ID } from './SearchBox';
import './search.css';

function formatMs(ms: number): string {
  return ms >= 100 ? `${formatCount(Math.round(ms))} ms` : `${ms.toFixed(1)} ms`;
}

export function summaryText(total: number, tookMs: number | null, exact = true, counting = !exact): string {
  // A lower bound is never shown as the count: "at least N", and "counting…" until the exact one arrives.
  const matches = exact
    ? `${formatCount(total)} ${total === 1 ? 'match' : 'matches'}`
    : `${formatCount(total)}+ matches${counting ? ', counting…' : ' (not counted to the end)'}`;
  return tookMs === null ? matches : `${matches} · ${formatMs(tookMs)}`;
}

/** Takes the middle pane's place while the search box has a query. */
export function SearchPane() {
  const query = useSearch((s) => s.query);
  const hits = useSearch((s) => s.hits);
  const consumed = useSearch((s) => s.consumed);
  const total = useSearch((s) => s.total);
  const exact = useSearch((s) => s.exact);
  const counting = useSearch((s) => s.counting);
  const tookMs = useSearch((s) => s.tookMs);
  const loading = useSearch((s) => s.loading);
  const loadingMore = useSearch((s) => s.loadingMore);
  const error = useSearch((s) => s.error);
  const cursor = useSearch((s) => s.cursor);
  const filters = useSearch((s) => s.filters);
  const ranked = useSearch((s) => s.ranked);
  const instructionHits = useSearch((s) => s.instructionMatches.length);
  const openItemId = useItemView((s) => s.itemId);
  const { select, openHit, loadMore, clear } = useSearch.getState();
  const listRef = useRef<HTMLDivElement>(null);

  const active = cursor !== null ? hits[cursor] : undefined;
  useEffect(() => {
    if (active) document.getElementById(`search-hit-${active.itemId}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const more = hasMoreHits({ consumed, total });
  // PageUp/PageDown move by what fits in the list, measured when the key is pressed.
  const listKeys = (event: KeyboardEvent) =>
    listKeyHandler({
      count: hits.length,
      index: cursor,
      pageSize: Math.max(1, Math.floor((listRef.current?.clientHeight ?? 480) / 48) - 1),
      onMove: (i) => {
        select(i);
        // Moving onto the last loaded hit fetches the next page, as scrolling would.
        if (i === hits.length - 1 && more) void loadMore();
      },
      onOpen: (i) => void openHit(i),
    })(event);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      clear();
      focusById('item-list');
      return;
    }
    // `c` opens the selected record's next copy (another config or benchmark): the chips' keyboard path.
    if (event.key === 'c' && !event.ctrlKey && !event.metaKey && !event.altKey && active && (active.copies?.length ?? 0) > 1) {
      event.preventDefault();
      const at = active.copies.findIndex((c) => c.itemId === openItemId);
      void openHit(cursor!, active.copies[(at + 1) % active.copies.length]!.itemId);
      return;
    }
    // `/` goes back to the query to refine it.
    if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      focusById(SEARCH_INPUT_ID);
      return;
    }
    listKeys(event);
  };

  const filtered = Object.keys(filters).length > 0;
  let summary: string;
  if (total !== null) summary = summaryText(total, tookMs, exact, counting);
  else if (loading) summary = 'Searching…';
  else summary = '';

  return (
    <Pane
      title={`Search: ${query.trim()}`}
      label="Search results"
      className="items-pane search-pane"
      actions={
        <div className="pane-actions">
          {loading && total !== null && <span className="pane-meta">Searching…</span>}
          <span className="pane-meta" data-testid="search-summary" aria-live="polite">
            {summary}
          </span>
          <button type="button" className="link-button" title="Clear the search (Escape)" onClick={() => clear()}>
            Clear
          </button>
        </div>
      }
    >
      <div className={loading ? 'search-results stale' : 'search-results'} id="search-results" data-testid="search-results" aria-busy={loading || loadingMore}>
        <SearchFacets />
        {error && <ErrorNote error={error} testId="search-error" />}
        <InstructionMatches />
        {ranked === false && total !== null && total > 0 && (
          <p className="pane-note search-unranked" data-testid="search-unranked">
            Too many matches to rank; showing library order — refine the query.
          </p>
        )}
        {total === 0 && !error && instructionHits > 0 && (
          <p className="pane-note" data-testid="search-only-instructions">
            No item’s input or output matches{filtered ? ' with these filters' : ''};{' '}
            {instructionHits === 1 ? 'only the instruction above does' : 'only the instructions above do'}.
          </p>
        )}
        {total === 0 && !error && instructionHits === 0 && (
          <p className="pane-note">
            No item matches{filtered ? ' with these filters' : ''}. Words match whole words; end one with <kbd>*</kbd> to match its beginning, or quote several
            to match a phrase.
          </p>
        )}
        <div
          ref={listRef}
          id="search-hit-list"
          className="list search-hit-list"
          role="listbox"
          aria-label="Search matches"
          tabIndex={0}
          aria-activedescendant={active ? `search-hit-${active.itemId}` : undefined}
          onKeyDown={onKeyDown}
        >
          {hits.map((hit, i) => (
            <SearchHitRow
              key={`${hit.itemId}-${i}`}
              hit={hit}
              selected={i === cursor}
              openItemId={openItemId}
              onOpen={(copyItemId) => void openHit(i, copyItemId)}
            />
          ))}
          {(more || loadingMore) && (
            <div className="list-footer search-footer">
              <button type="button" className="button" data-testid="search-more" disabled={loadingMore || loading} onClick={() => void loadMore()}>
                {loadingMore
                  ? 'Loading…'
                  : `More (${formatCount(Math.min(SEARCH_PAGE_SIZE, (total ?? 0) - consumed))} of ${formatCount((total ?? 0) - consumed)} matching items left)`}
              </button>
              <span className="muted">
                {' '}
                {formatCount(consumed)} of {formatCount(total ?? 0)} matching items shown, as {plural(hits.length, 'record')}
              </span>
            </div>
          )}
        </div>
      </div>
    </Pane>
  );
}
