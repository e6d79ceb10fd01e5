import type { Item } from '../../../../shared/domain';
import { GoldOutputs } from './GoldOutputs';
import { HistoryTurns } from './HistoryTurns';
import { useMemo } from 'react';
import { parseQuery } from '../../../../shared/queryTerms';
import { ItemRunsList } from './ItemRunsList';
import { ProseField } from './ProseField';
import { useItemView } from './itemViewStore';
import { OpenInPlayground } from '../playground/OpenInPlayground';

interface ItemViewProps {
  item: Item;
}

export function ItemView({ item }: ItemViewProps) {
  const outputs = item.outputs.length > 0 ? item.outputs : [item.output];
  // Opened from a search: its words are marked in the whole item.
  const highlight = useItemView((s) => s.highlight);
  const terms = useMemo(() => (highlight ? parseQuery(highlight) : undefined), [highlight]);
  return (
    <article
      className="item-view"
      data-testid="item-view"
      // Focusable so arrow keys and PageDown scroll long items without a mouse.
      tabIndex={0}
      aria-label={`Item ${item.index} of ${item.task}`}
    >
      <div className="item-meta">
        <span className="mono">{item.benchmark}</span> / <span className="mono">{item.task}</span> · {item.config} · {item.split} · #{item.index}{' '}
        <OpenInPlayground item={item} />
      </div>
      <ProseField label="Instruction" testId="item-instruction" text={item.instruction} terms={terms} />
      <ProseField label="Input" testId="item-input" text={item.input} terms={terms} />
      <GoldOutputs outputs={outputs} terms={terms} />
      <HistoryTurns history={item.history} />
      <ItemRunsList gold={outputs[0] ?? ''} terms={terms} />
    </article>
  );
}
