import type { HistoryTurn } from '../../../../shared/domain';
import { AnswerView } from '../../ui/AnswerView';
import { useItemView } from './itemViewStore';

interface HistoryTurnsProps {
  history: HistoryTurn[];
}

/**
 * Few-shot demonstrations as a chat transcript. The role label comes from CSS
 * (`data-role`), keeping each turn's text exactly what the benchmark stores. Where the record
 * stores none, it says where a run's demonstrations come from instead (MedS-Bench draws them).
 */
export function HistoryTurns({ history }: HistoryTurnsProps) {
  const shots = useItemView((s) => s.runs?.shots ?? null);
  const kind = useItemView((s) => s.runs?.answerKind ?? null);
  const entityType = useItemView((s) => s.runs?.entityType ?? null);
  // Tagged demonstrations (NER) read as entity spans too; other answers stay exactly as stored.
  const spans = kind === 'bio' || kind === 'bracketEntities';
  let summary: string;
  if (history.length > 0) summary = `(${history.length} ${history.length === 1 ? 'pair' : 'pairs'}, shown to the model before the input)`;
  else if (shots?.source === 'drawn') summary = `(${shots.count} drawn by each run, none stored with the record)`;
  else summary = '(none)';
  return (
    <section className="field">
      <h3 className="field-label">
        Few-shot history <span className="muted">{summary}</span>
      </h3>
      {history.length === 0 && shots && shots.source !== 'history' && (
        <p className="shots-note" data-testid="item-shots-note">
          {shots.note}
        </p>
      )}
      <div className="history" data-testid="item-history">
        {history.flatMap(([user, assistant], i) => [
          <div key={`${i}u`} className="text prose turn" data-testid="history-turn" data-role="user">
            {user}
          </div>,
          spans ? (
            <div key={`${i}a`} className="turn turn-spans" data-testid="history-turn" data-role="assistant">
              <AnswerView text={assistant} kind={kind} entityType={entityType} />
            </div>
          ) : (
            <div key={`${i}a`} className="text prose turn" data-testid="history-turn" data-role="assistant">
              {assistant}
            </div>
          ),
        ])}
      </div>
    </section>
  );
}
