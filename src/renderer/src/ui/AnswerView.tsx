/**
 * Benchmark answers in a form a clinician reads: BIO-tagged NER answers as highlighted entity spans
 * with their type, `[bracketed]` entities and MedS-Bench entity lists likewise, label answers as label
 * chips, and free text in a proportional font with the search words marked. Given the gold answer, a
 * predicted entity says whether the gold has it too. Used by the Library item view; Compare and the
 * run views can show answers the same way.
 */
import type { ReactNode } from 'react';
import type { AnswerKind } from '../../../shared/itemRuns';
import { markTerms, type QueryTerm } from '../../../shared/queryTerms';
import { bioSegments, bracketSegments, entityKey, entityKeys, entityList, labelList, looksBio, type Segment } from './answerParse';
import './answerView.css';

/** Running text with the query's words in `<mark>` (never HTML). */
export function Highlighted({ text, terms }: { text: string; terms?: QueryTerm[] }): ReactNode {
  if (!terms || terms.length === 0) return text;
  return markTerms(text, terms).map((r, i) => (r.marked ? <mark key={i}>{r.text}</mark> : r.text));
}

interface ProseProps {
  text: string;
  terms?: QueryTerm[];
  testId?: string;
}

/** Long clinical text: proportional font, wrapped, search words marked. */
export function Prose({ text, terms, testId }: ProseProps) {
  return (
    <div className="text prose" data-testid={testId}>
      <Highlighted text={text} terms={terms} />
    </div>
  );
}

interface AnswerViewProps {
  text: string;
  /** How the task's answers read (itemRuns' `answerKind`); null: plain text. */
  kind: AnswerKind | null;
  /** The gold answer, for a prediction: entities say whether the gold has them too. */
  gold?: string | null;
  /** What untyped BIO tags stand for (e.g. "disease"). */
  entityType?: string | null;
  terms?: QueryTerm[];
  testId?: string;
  /** Show the legend of entity types and marks under the answer (once per view is enough). */
  legend?: boolean;
}

function segmentsOf(kind: AnswerKind, text: string): Segment[] | null {
  if (kind === 'bio') return looksBio(text) ? bioSegments(text) : null;
  if (kind === 'bracketEntities') return text.includes('[') ? bracketSegments(text) : null;
  return null;
}

function typeLabel(type: string | null, entityType: string | null | undefined): string {
  return type ?? entityType ?? 'entity';
}

export function AnswerView({ text, kind, gold, entityType, terms, testId, legend }: AnswerViewProps) {
  if (kind === 'bio' || kind === 'bracketEntities') {
    const segs = segmentsOf(kind, text);
    if (segs) {
      const goldKeys = gold != null ? (segmentsOf(kind, gold) ?? []) : null;
      const inGold = goldKeys ? entityKeys(goldKeys) : null;
      const types = [...new Set(segs.filter((s) => s.entity).map((s) => typeLabel(s.entity!.type, entityType)))];
      return (
        <div className="answer" data-testid={testId} data-kind={kind}>
          <div className="text prose entity-text">
            {segs.map((s, i) => {
              const sep = i > 0 && kind === 'bio' ? ' ' : '';
              if (!s.entity)
                return (
                  <span key={i}>
                    {sep}
                    {<Highlighted text={s.text} terms={terms} />}
                  </span>
                );
              const type = typeLabel(s.entity.type, entityType);
              let match: 'yes' | 'no' | undefined;
              if (inGold) {
                const k = entityKey(s.text, s.entity.type);
                const left = inGold.get(k) ?? 0;
                match = left > 0 ? 'yes' : 'no';
                if (left > 0) inGold.set(k, left - 1);
              }
              return (
                <span key={i}>
                  {sep}
                  <mark
                    className="entity"
                    data-testid="entity-span"
                    data-type={type}
                    data-match={match}
                    title={match === undefined ? type : match === 'yes' ? `${type}: also in the gold answer` : `${type}: not in the gold answer`}
                  >
                    {s.text}
                    <span className="entity-type">{type}</span>
                  </mark>
                </span>
              );
            })}
          </div>
          {legend && <EntityLegend types={types} compared={inGold !== null} />}
        </div>
      );
    }
  }
  if (kind === 'entityList') {
    const entities = entityList(text);
    const goldSet = gold != null ? new Set(entityList(gold).map((e) => e.toLowerCase())) : null;
    return (
      <div className="answer" data-testid={testId} data-kind={kind}>
        {entities.length === 0 ? (
          <span className="muted">no entity ({text.trim() || 'empty'})</span>
        ) : (
          <ul className="chips" aria-label="Entities">
            {entities.map((e, i) => (
              <li
                key={i}
                className="chip entity-chip"
                data-testid="entity-chip"
                data-match={goldSet ? (goldSet.has(e.toLowerCase()) ? 'yes' : 'no') : undefined}
              >
                {e}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  if (kind === 'labels') {
    const labels = labelList(text);
    if (labels) {
      const goldLabels = gold != null ? new Set((labelList(gold) ?? [gold]).map((l) => l.trim().toLowerCase())) : null;
      return (
        <div className="answer" data-testid={testId} data-kind={kind}>
          <ul className="chips" aria-label="Labels">
            {labels.map((l, i) => (
              <li
                key={i}
                className="chip label-chip"
                data-testid="label-chip"
                data-match={goldLabels ? (goldLabels.has(l.trim().toLowerCase()) ? 'yes' : 'no') : undefined}
              >
                {l}
              </li>
            ))}
          </ul>
        </div>
      );
    }
  }
  return (
    <div className="answer" data-testid={testId} data-kind={kind ?? 'text'}>
      <Prose text={text} terms={terms} />
    </div>
  );
}

/** Which colour is which type, and what the solid and dashed marks mean. */
export function EntityLegend({ types, compared }: { types: string[]; compared: boolean }) {
  return (
    <div className="entity-legend" data-testid="entity-legend" aria-label="Legend">
      {types.map((t) => (
        <span key={t} className="legend-item">
          <mark className="entity" data-type={t}>
            {t}
          </mark>
        </span>
      ))}
      {types.length === 0 && <span className="muted">no entity in this answer</span>}
      {compared && (
        <>
          <span className="legend-item">
            <mark className="entity" data-match="yes">
              solid
            </mark>{' '}
            also in the gold answer
          </span>
          <span className="legend-item">
            <mark className="entity" data-match="no">
              dashed
            </mark>{' '}
            not in the gold answer
          </span>
        </>
      )}
    </div>
  );
}
