import type { SearchHit } from '../../../../shared/domain';
import { renderHighlights } from './highlight';

interface SearchHitRowProps {
  hit: SearchHit;
  selected: boolean;
  open: boolean;
  onOpen: () => void;
}

export function SearchHitRow({ hit, selected, open, onOpen }: SearchHitRowProps) {
  return (
    <div
      id={`search-hit-${hit.itemId}`}
      data-testid="search-hit"
      data-item-id={hit.itemId}
      role="option"
      aria-selected={selected}
      className={open ? 'row search-hit open' : 'row search-hit'}
      onClick={onOpen}
    >
      <div className="row-line">
        <span className="hit-where" title={`${hit.benchmark} / ${hit.task}${hit.category ? ` (${hit.category})` : ''}`}>
          <span className="mono">{hit.benchmark}</span> / {hit.task}
        </span>
        <span className="tag">
          {hit.config} · {hit.split}
        </span>
        <span className="item-index hit-index">#{hit.index}</span>
      </div>
      <div className="hit-snippet">
        <span className="hit-field">{hit.field}</span>
        <span className="hit-text">{renderHighlights(hit.snippet)}</span>
      </div>
    </div>
  );
}
