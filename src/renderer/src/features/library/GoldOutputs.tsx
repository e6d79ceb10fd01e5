import type { QueryTerm } from '../../../../shared/queryTerms';
import { AnswerView } from '../../ui/AnswerView';
import { useItemView } from './itemViewStore';

interface GoldOutputsProps {
  outputs: string[];
  terms?: QueryTerm[];
}

/**
 * The gold answer(s), read the way the task reads them (entity spans, labels, prose) once itemRuns
 * says how; the stored text stays one click away, exactly as the file holds it.
 */
export function GoldOutputs({ outputs, terms }: GoldOutputsProps) {
  const kind = useItemView((s) => s.runs?.answerKind ?? null);
  const entityType = useItemView((s) => s.runs?.entityType ?? null);
  const many = outputs.length > 1;
  const shown = (o: string, i: number) => (
    <>
      <AnswerView text={o} kind={kind} entityType={entityType} terms={terms} testId="gold-answer" legend={i === 0} />
      {kind !== null && kind !== 'text' && (
        <details className="stored-text">
          <summary>As stored</summary>
          <pre className="text">{o}</pre>
        </details>
      )}
    </>
  );
  return (
    <section className="field gold">
      <h3 className="field-label">{many ? `Gold outputs (${outputs.length})` : 'Gold output'}</h3>
      {many ? (
        <ol className="gold-list" data-testid="item-output">
          {outputs.map((o, i) => (
            <li key={i}>{shown(o, i)}</li>
          ))}
        </ol>
      ) : (
        <div data-testid="item-output">{shown(outputs[0] ?? '', 0)}</div>
      )}
    </section>
  );
}
