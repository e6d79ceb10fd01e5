import type { Item } from '../../../../shared/domain';
import { GoldOutputs } from './GoldOutputs';
import { HistoryTurns } from './HistoryTurns';
import { TextBlock } from '../../ui/TextBlock';
import { OpenInPlayground } from '../playground/OpenInPlayground';

interface ItemViewProps {
  item: Item;
}

export function ItemView({ item }: ItemViewProps) {
  const outputs = item.outputs.length > 0 ? item.outputs : [item.output];
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
      <TextBlock label="Instruction" testId="item-instruction" text={item.instruction} />
      <TextBlock label="Input" testId="item-input" text={item.input} />
      <GoldOutputs outputs={outputs} />
      <HistoryTurns history={item.history} />
    </article>
  );
}
