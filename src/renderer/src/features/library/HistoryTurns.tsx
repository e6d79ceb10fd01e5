import type { HistoryTurn } from '../../../../shared/domain';

interface HistoryTurnsProps {
  history: HistoryTurn[];
}

/**
 * Few-shot demonstrations as a chat transcript. The role label comes from CSS
 * (`data-role`), keeping each turn's text exactly what the benchmark stores.
 */
export function HistoryTurns({ history }: HistoryTurnsProps) {
  return (
    <section className="field">
      <h3 className="field-label">
        Few-shot history{' '}
        <span className="muted">
          {history.length === 0 ? '(none)' : `(${history.length} ${history.length === 1 ? 'pair' : 'pairs'}, shown to the model before the input)`}
        </span>
      </h3>
      <div className="history" data-testid="item-history">
        {history.flatMap(([user, assistant], i) => [
          <div key={`${i}u`} className="text turn" data-testid="history-turn" data-role="user">
            {user}
          </div>,
          <div key={`${i}a`} className="text turn" data-testid="history-turn" data-role="assistant">
            {assistant}
          </div>,
        ])}
      </div>
    </section>
  );
}
