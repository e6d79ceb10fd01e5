/**
 * What a session produces: exports (JSON to re-import elsewhere, CSV for analysis), the
 * self-contained HTML report, a colleague's export merged in (conflicts listed, taken one by
 * one), and agreement between reviewers. In browser mode a bare file name lands in <data>/exports.
 */
import { useState } from 'react';
import type { AgreementResult, ImportAnnotationsResult, KappaResult, WeightedKappaResult } from '../../../../shared/annotations';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { ErrorNote } from '../../ui/ErrorNote';
import { useReview } from './reviewStore';

const k = (r: KappaResult | null) =>
  r ? `${r.kappa === null ? 'undefined' : r.kappa.toFixed(3)} (${r.method === 'cohen' ? "Cohen's" : "Fleiss'"} κ, ${r.units} units)` : '—';

const fixed = (v: number | null) => (v === null ? 'undefined' : v.toFixed(3));
/** Severity is ordinal, so a one-step disagreement weighs less than a three-step one. */
const weighted = (r: WeightedKappaResult | null) =>
  r
    ? `linear ${fixed(r.linear)}, quadratic ${fixed(r.quadratic)} (${r.method === 'cohen' ? "weighted Cohen's κ" : 'weighted κ, mean over reviewer pairs'}, ${r.units} units)`
    : '—';

export function ResultsPanel() {
  const session = useReview((s) => s.session);
  const [name, setName] = useState('');
  const [importPath, setImportPath] = useState('');
  const [written, setWritten] = useState<string | null>(null);
  const [imported, setImported] = useState<ImportAnnotationsResult | null>(null);
  const [agreement, setAgreement] = useState<AgreementResult | null>(null);
  const [error, setError] = useState<ApiErrorData | null>(null);
  if (!session) return null;
  const base = name.trim() || `session-${session.id}`;
  const run = async (job: () => Promise<void>) => {
    setError(null);
    try {
      await job();
    } catch (err) {
      setError(toErrorData(err));
    }
  };
  const exportAs = (format: 'json' | 'csv') =>
    run(async () => {
      const r = await getClient().exportAnnotations({ sessionId: session.id, format, out: `${base}.${format}`, overwrite: true });
      setWritten(`Wrote ${r.count} annotations to ${r.file}`);
    });
  const report = () =>
    run(async () => {
      const r = await getClient().writeAnnotationReport({ sessionId: session.id, out: `${base}-report.html`, overwrite: true });
      setWritten(`Wrote the report to ${r.file}`);
    });
  const importFile = (take: string[] = []) =>
    run(async () => {
      setImported(await getClient().importAnnotations({ file: importPath, take }));
      await useReview.getState().refreshSession();
      const item = useReview.getState().item;
      if (item) await useReview.getState().goTo(item.ord);
    });

  return (
    <section className="review-results" aria-label="Export, report and agreement" data-testid="review-results">
      <h2>Results</h2>
      <div className="review-results-row">
        <label>
          File name <input value={name} placeholder={`session-${session.id}`} data-testid="review-export-name" onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="button" className="button" data-testid="review-export-json" onClick={() => void exportAs('json')}>
          Export JSON
        </button>
        <button type="button" className="button" data-testid="review-export-csv" onClick={() => void exportAs('csv')}>
          Export CSV
        </button>
        <button type="button" className="button" data-testid="review-report" onClick={() => void report()}>
          Write HTML report
        </button>
        <button
          type="button"
          className="button"
          data-testid="review-agreement"
          onClick={() => void run(async () => setAgreement(await getClient().annotationAgreement({ sessionId: session.id })))}
        >
          Agreement
        </button>
      </div>
      <div className="review-results-row">
        <label>
          Import a colleague&apos;s export{' '}
          <input
            value={importPath}
            placeholder="path to an annotations .json"
            data-testid="review-import-path"
            onChange={(e) => setImportPath(e.target.value)}
          />
        </label>
        <button type="button" className="button" disabled={!importPath.trim()} data-testid="review-import" onClick={() => void importFile()}>
          Import and merge
        </button>
      </div>
      {error && <ErrorNote error={error} testId="review-results-error" />}
      {written && (
        <p role="status" data-testid="review-written">
          {written}
        </p>
      )}
      {imported && (
        <div role="status" data-testid="review-imported">
          <p>
            {imported.added} added, {imported.unchanged} already here, {imported.taken} replaced, {imported.conflicts.length} conflicts
          </p>
          {imported.conflicts.length > 0 && (
            <ul>
              {imported.conflicts.map((c) => (
                <li key={c.key}>
                  {c.itemKey} · {c.run ?? 'the item'} · {c.reviewer}: here “{c.local.verdict ?? '-'} / {c.local.note}”, incoming “{c.incoming.verdict ?? '-'} /{' '}
                  {c.incoming.note}”{' '}
                  <button type="button" className="button" onClick={() => void importFile([c.key])}>
                    Take incoming
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {agreement && (
        <div data-testid="review-agreement-result">
          <p>
            Reviewers: {agreement.reviewers.join(', ') || 'none'}. {agreement.note}
          </p>
          {agreement.reviewers.length >= 2 && (
            <ul>
              <li>Verdict: {k(agreement.verdict)}</li>
              <li>Harm severity: {k(agreement.severity)}</li>
              <li data-testid="review-agreement-weighted">Harm severity, weighted by distance: {weighted(agreement.severityWeighted)}</li>
              {agreement.tags.map((t) => (
                <li key={t.tag}>
                  {t.tag}: {k(t)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
