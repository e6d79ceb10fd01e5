import type { ReactNode } from 'react';
import type { Capped, TaskDetail, TaskExample } from '../../../../shared/domain';
import { formatBytes, formatCount } from '../../lib/format';
import { TextBlock } from '../../ui/TextBlock';

const FAMILY_TITLE: Record<TaskDetail['metricFamily'], string> = { medinst32: 'MedINST32', 'meds-bench': 'MedS-Bench' };

function splitLabel(config: string, split: string): string {
  return config === 'default' ? split : `${config} ${split}`;
}

/** "161" or "161, first 50 shown". */
function countLabel(list: Capped<unknown>): string {
  return list.items.length < list.total ? `${formatCount(list.total)}, first ${formatCount(list.items.length)} shown` : formatCount(list.total);
}

function Metrics({ task }: { task: TaskDetail }) {
  if (task.metrics.length === 0) return <span className="muted">none</span>;
  const percent = task.metrics[0]?.scale === 100;
  return (
    <>
      {task.metrics.map((m) => (
        <span
          key={m.id}
          className="metric-chip"
          title={`${m.id} · ${m.higherIsBetter ? 'higher' : 'lower'} is better · ${m.scale === 100 ? 'percent' : 'fraction'}`}
        >
          {m.name}
          {!m.higherIsBetter && <span aria-label="lower is better"> ↓</span>}
        </span>
      ))}
      <span className="muted">
        {' '}
        as {FAMILY_TITLE[task.metricFamily]} scores it{percent ? ', in %' : ''}
      </span>
    </>
  );
}

function Example({ example, n }: { example: TaskExample; n: number }) {
  return (
    <li className="task-example">
      <div className="example-label">Input {n}</div>
      <div className="text">{example.input}</div>
      <div className="example-label">{example.outputs.length > 1 ? 'Outputs' : 'Output'}</div>
      {example.outputs.map((o, i) => (
        <div key={i} className="text example-output">
          {o}
        </div>
      ))}
      {example.explanation && <div className="example-explanation">{example.explanation}</div>}
    </li>
  );
}

function Examples({ title, list, polarity }: { title: string; list: Capped<TaskExample>; polarity: 'positive' | 'negative' }) {
  return (
    <div className="task-examples-group" data-polarity={polarity}>
      <h4 className="field-sublabel">
        {title} <span className="muted">({countLabel(list)})</span>
      </h4>
      {list.items.length > 0 && (
        <ol className="task-example-list">
          {list.items.map((e, i) => (
            <Example key={i} example={e} n={i + 1} />
          ))}
        </ol>
      )}
    </div>
  );
}

function Section({ label, testId, children }: { label: ReactNode; testId: string; children: ReactNode }) {
  return (
    <section className="field" data-testid={testId}>
      <h3 className="field-label">{label}</h3>
      {children}
    </section>
  );
}

/** Everything the library knows about one task, beside its items. */
export function TaskDetailView({ task }: { task: TaskDetail }) {
  const facts: [string, ReactNode, string?][] = [
    ['Source dataset', task.sourceDataset ?? <span className="muted">—</span>],
    ['Languages', task.languages.length ? task.languages.join(', ') : <span className="muted">—</span>, 'task-languages'],
    ['Metrics', <Metrics key="m" task={task} />, 'task-metric'],
    ['Items', `${formatCount(task.itemCount)} · ${task.splits.map((s) => `${splitLabel(s.config, s.split)} ${formatCount(s.itemCount)}`).join(' · ')}`],
  ];
  if (task.domains.length) facts.splice(2, 0, ['Domains', task.domains.join(', ')]);
  if (task.urls.length)
    facts.push([
      'URL',
      <span key="u" className="mono">
        {task.urls.join(' ')}
      </span>,
    ]);
  const variants = task.instructionVariants;

  return (
    <article
      className="item-view task-detail"
      data-testid="task-detail"
      // Focusable so arrow keys and PageDown scroll long definitions without a mouse.
      tabIndex={0}
      aria-label={`Task ${task.name}`}
    >
      <div className="item-meta">
        <span className="mono">{task.benchmark}</span> / <span className="mono">{task.name}</span>
        {task.category && <> · {task.category}</>}
        {task.externalId && (
          <>
            {' '}
            · <span className="mono">{task.externalId}</span>
          </>
        )}
      </div>

      <dl className="facts task-facts">
        {facts.map(([k, v, testId]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd data-testid={testId}>{v}</dd>
          </div>
        ))}
      </dl>

      {task.definition !== null ? (
        <TextBlock label="Definition" testId="task-definition" text={task.definition} />
      ) : (
        <Section
          testId="task-instructions"
          label={
            <>
              Instruction <span className="muted">(no definition in the source; {countLabel(task.instructions)} used by the items)</span>
            </>
          }
        >
          {task.instructions.items.map((i, n) => (
            <div key={n} className="text task-instruction" title={`${formatCount(i.itemCount)} items`}>
              {i.text}
            </div>
          ))}
        </Section>
      )}

      <Section
        testId="task-variants"
        label={
          <>
            Instruction variants <span className="muted">({countLabel(variants)})</span>
          </>
        }
      >
        {variants.total === 0 ? (
          <p className="field-note">None. MedS-Ins paraphrases (RewriteDefinitions.json) attach to tasks by task id when imported.</p>
        ) : (
          <details className="task-variants">
            <summary>Show paraphrases</summary>
            <ol className="variant-list" start={0}>
              {variants.items.map((v) => (
                <li key={v.ord} value={v.ord} data-kind={v.kind}>
                  <span className="text">{v.text}</span>
                  {v.kind === 'original' && <span className="tag">original</span>}
                </li>
              ))}
            </ol>
          </details>
        )}
      </Section>

      <Section testId="task-examples" label="Examples">
        {task.positiveExamples.total + task.negativeExamples.total === 0 ? (
          <p className="field-note">None in the source.</p>
        ) : (
          <>
            <Examples title="Positive" list={task.positiveExamples} polarity="positive" />
            <Examples title="Negative" list={task.negativeExamples} polarity="negative" />
          </>
        )}
      </Section>

      <Section testId="task-provenance" label="Provenance">
        {task.sources.length === 0 ? (
          <p className="field-note">No source files recorded.</p>
        ) : (
          // A list rather than a table: the path and the full hash matter most and need the width.
          <ul className="provenance-list">
            {task.sources.map((s) => (
              <li key={`${s.kind}:${s.path}:${s.config ?? ''}/${s.split ?? ''}`} data-testid="provenance-row">
                <div className="mono provenance-path">{s.path}</div>
                <div className="provenance-meta">
                  {s.kind === 'split' ? splitLabel(s.config ?? '', s.split ?? '') : 'instruction variants'}
                  {' · '}
                  <span title={`${formatCount(s.size)} bytes`}>{formatBytes(s.size)}</span>
                  {' · imported '}
                  <span title={s.importedAt}>{new Date(s.importedAt).toLocaleString()}</span>
                  {` · app ${s.appVersion}`}
                </div>
                <div className="provenance-hash">
                  <span className="muted">{s.files.length > 1 ? 'sha256 over the shards ' : 'sha256 '}</span>
                  <span className="mono">{s.sha256}</span>
                </div>
                {s.files.length > 1 && (
                  <ul className="provenance-shards" data-testid="provenance-shards">
                    {s.files.map((f) => (
                      <li key={f.path}>
                        <span className="mono">{f.path.split(/[\\/]/).pop()}</span> · <span title={`${formatCount(f.size)} bytes`}>{formatBytes(f.size)}</span>{' '}
                        ·{' '}
                        <span className="mono" title={f.path}>
                          {f.sha256}
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </article>
  );
}
