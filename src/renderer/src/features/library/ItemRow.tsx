import type { CSSProperties } from 'react';
import type { ItemSummary } from '../../../../shared/domain';

interface ItemRowProps {
  item: ItemSummary;
  position: number;
  setSize: number;
  selected: boolean;
  open: boolean;
  /** Show the config/split tag when several splits are listed together. */
  showSplit: boolean;
  style: CSSProperties;
  onOpen: () => void;
}

export function ItemRow({ item, position, setSize, selected, open, showSplit, style, onOpen }: ItemRowProps) {
  return (
    <div
      id={`item-${item.id}`}
      data-testid="item-row"
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={setSize}
      className={open ? 'row item-row open' : 'row item-row'}
      style={style}
      onClick={onOpen}
    >
      <div className="row-line">
        <span className="item-index">#{item.index}</span>
        {showSplit && (
          <span className="tag">
            {item.config} · {item.split}
          </span>
        )}
        <span className="item-preview">{item.preview}</span>
      </div>
      <div className="row-sub item-gold">
        <span className="gold-arrow" aria-hidden="true">
          →
        </span>{' '}
        {item.output}
      </div>
    </div>
  );
}
