import type { SearchHit, SearchHitCopy } from '../../../../shared/domain';
import { renderHighlights } from './highlight';

interface SearchHitRowProps {
  hit: SearchHit;
  selected: boolean;
  /** The item open in the item view: the row (and the chip of that copy) show it. */
  openItemId: number | null;
  /** Opens the hit, or the copy with this item id. */
  onOpen: (copyItemId?: number) => void;
}

function chipText(c: SearchHitCopy, hit: SearchHit): string {
  const where = c.benchmark === hit.benchmark && c.task === hit.task ? c.benchmark : `${c.benchmark} / ${c.task}`;
  return `${where} · ${c.config} · ${c.split} #${c.index}`;
}

/**
 * One record that matched. Its copies (MedINST32's few-shot and zero-shot files, a MedS-Bench
 * file holding the same record) are chips: a click on one opens that copy.
 */
export function SearchHitRow({ hit, selected, openItemId, onOpen }: SearchHitRowProps) {
  const copies = hit.copies ?? [];
  const open = openItemId !== null && (hit.itemId === openItemId || copies.some((c) => c.itemId === openItemId));
  return (
    <div
      id={`search-hit-${hit.itemId}`}
      data-testid="search-hit"
      data-item-id={hit.itemId}
      data-copies={copies.length}
      role="option"
      aria-selected={selected}
      className={open ? 'row search-hit open' : 'row search-hit'}
      onClick={() => onOpen()}
    >
      <div className="row-line">
        <span className="hit-where" title={`${hit.benchmark} / ${hit.task}${hit.category ? ` (${hit.category})` : ''}`}>
          <span className="mono">{hit.benchmark}</span> / {hit.task}
        </span>
        {copies.length <= 1 && (
          <span className="tag">
            {hit.config} · {hit.split}
          </span>
        )}
        <span className="item-index hit-index">#{hit.index}</span>
      </div>
      <div className="hit-snippet">
        <span className="hit-field">{hit.field}</span>
        <span className="hit-text">{renderHighlights(hit.snippet)}</span>
      </div>
      {copies.length > 1 && (
        <div className="hit-copies" aria-label={`${copies.length} copies of this record`}>
          <span className="muted" title="Press c in the list to open the next copy">
            {copies.length} copies:
          </span>
          {copies.map((c) => (
            // Not buttons: an option may not hold controls (axe nested-interactive). A click opens the copy; from
            // the keyboard, `c` in the list does (SearchPane).
            <span
              key={c.itemId}
              className="hit-copy"
              data-testid="search-hit-copy"
              data-item-id={c.itemId}
              data-config={c.config}
              data-benchmark={c.benchmark}
              data-open={c.itemId === openItemId}
              title={`Open the copy in ${c.benchmark} / ${c.task} (${c.config}, ${c.split}, #${c.index})`}
              onClick={(e) => {
                e.stopPropagation();
                onOpen(c.itemId);
              }}
            >
              {chipText(c, hit)}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
