/**
 * The benchmark item the Playground was opened with: what it is, where its prompt came from, the
 * strategy and shots a run would use (changing them renders the prompt again), and its gold output.
 */
import { STRATEGIES } from '../runs/runSpecForm';
import { usePlayground } from './playgroundStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { FormField } from '../../ui/FormField';
import type { Strategy } from './playgroundItem';

export function ItemCard() {
  const item = usePlayground((s) => s.item);
  const rendering = usePlayground((s) => s.rendering);
  const renderError = usePlayground((s) => s.renderError);
  const turns = usePlayground((s) => s.form.turns.length);
  const { setItemStrategy, setItemShots, rerender, clearItem } = usePlayground.getState();
  if (!item) {
    return (
      <p className="field-hint playground-item-hint">
        To try a benchmark item, use <strong>Open in Playground</strong> on an item in the Library or in Compare: its prompt, few-shot examples included, fills
        the fields below.
      </p>
    );
  }
  return (
    <section className="playground-item" data-testid="playground-item" aria-label="Benchmark item">
      <div className="playground-item-head">
        <span className="row-title" data-testid="playground-item-label">
          {item.label}
        </span>
        <button type="button" className="mini-button" data-testid="playground-item-clear" onClick={clearItem} title="Keep the prompt, forget the item">
          Forget item
        </button>
      </div>
      <p className="muted playground-item-source" data-testid="playground-item-source">
        {item.ref
          ? `Rendered as a run with this strategy would send it${item.templateHash ? ` (template ${item.templateHash.slice(0, 8)})` : ''}; ${turns > 0 ? `${turns} few-shot turns` : 'no separate few-shot turns'}. Edits below change only this try.`
          : `The prompt as ${item.source} sent it. Edits below change only this try.`}
        {rendering && ' Rendering…'}
      </p>
      {item.ref && (
        <div className="playground-item-strategy">
          <FormField htmlFor="playground-item-strategy" label="Strategy" className="inline">
            <select
              id="playground-item-strategy"
              data-testid="playground-item-strategy"
              className="text-input"
              value={item.strategy}
              onChange={(e) => void setItemStrategy(e.target.value as Strategy)}
            >
              {STRATEGIES.map((s) => (
                <option key={s.value} value={s.value} title={s.hint}>
                  {s.label}
                </option>
              ))}
            </select>
          </FormField>
          <FormField htmlFor="playground-item-shots" label="Shots" className="inline">
            <input
              id="playground-item-shots"
              data-testid="playground-item-shots"
              className="text-input narrow"
              type="text"
              inputMode="numeric"
              placeholder="default"
              value={item.shots}
              onChange={(e) => void setItemShots(e.target.value)}
            />
          </FormField>
          <button
            type="button"
            className="mini-button"
            data-testid="playground-item-rerender"
            onClick={() => void rerender()}
            title="Undo the edits: render the prompt again"
          >
            Render again
          </button>
        </div>
      )}
      {renderError && <ErrorNote error={renderError} testId="playground-item-error" />}
    </section>
  );
}

/** The item's gold output(s), beside the columns for reference. */
export function GoldColumn() {
  const gold = usePlayground((s) => s.item?.gold);
  if (!gold) return null;
  return (
    <section className="playground-column playground-gold" data-testid="playground-gold" aria-label="Gold output">
      <div className="field-label">Gold{gold.length > 1 ? ` (${gold.length})` : ''}</div>
      {gold.map((g, i) => (
        <p key={i} className="prose block playground-gold-text">
          {g}
        </p>
      ))}
    </section>
  );
}
