/**
 * Filters that combine — outputs differ or agree; A right and B wrong (or the reverse), all
 * wrong, all right by the task's primary metric and a threshold; a metric range; task and
 * category; full-text search; what reviewers said (a tag on a run, a verdict, harm severity at
 * least some level) — each showing how many rows it would leave, and the sort.
 */
import { useState } from 'react';
import type { Agreement, Outcome } from '../../../../shared/compare';
import { NO_REVIEW_FILTER } from '../../../../shared/compareReviews';
import { SEVERITIES, VERDICTS } from '../../../../shared/enums';
import { useReview } from '../annotations/reviewStore';
import { useCompare } from './compareStore';

export const COMPARE_SEARCH_ID = 'compare-search';

const AGREEMENT_LABELS: [Agreement, string][] = [
  ['any', 'All'],
  ['differ', 'Outputs differ'],
  ['agree', 'Outputs agree'],
];

export function CompareFilters() {
  const result = useCompare((s) => s.result);
  const filter = useCompare((s) => s.filter);
  const sort = useCompare((s) => s.sort);
  const counts = useCompare((s) => s.counts);
  const search = useCompare((s) => s.search);
  const { setFilter, setSort, setSearch } = useCompare.getState();
  const [text, setText] = useState(search);
  if (!result || !counts) return null;
  const runName = (i: number) => `${i + 1} · ${result.runs[i]?.name ?? ''}`;
  /** The compared runs as <option>s, for every run chooser in the bar. */
  const runOptions = result.runs.map((_, i) => (
    <option key={i} value={i}>
      {runName(i)}
    </option>
  ));
  const outcomes: [Outcome, string][] = [
    ['any', 'Any outcome'],
    ['a-right-b-wrong', `${runName(filter.a)} right, ${runName(filter.b)} wrong`],
    ['b-right-a-wrong', `${runName(filter.b)} right, ${runName(filter.a)} wrong`],
    ['all-wrong', 'All wrong'],
    ['all-right', 'All right'],
  ];
  const categories = [...new Set(result.groups.map((g) => g.category).filter((c): c is string => c !== null))];
  const metricIds = [...new Set(result.groups.flatMap((g) => g.metrics.map((m) => m.id)))];
  const range = filter.ranges[0];
  const setRange = (patch: Partial<NonNullable<typeof range>>) => {
    const next = { run: 0, metric: metricIds[0] ?? '', ...range, ...patch };
    setFilter({ ranges: next.min === undefined && next.max === undefined ? [] : [next] });
  };
  const num = (v: string) => (v.trim() === '' ? undefined : Number(v));
  const review = filter.review ?? NO_REVIEW_FILTER;
  const setReview = (patch: Partial<typeof review>) => setFilter({ review: { ...review, ...patch } });
  const reviewCounts = counts.review;

  return (
    <section className="compare-filters" aria-label="Filters and sort" data-testid="compare-filters">
      <fieldset className="compare-filter-group">
        <legend>Outputs</legend>
        {AGREEMENT_LABELS.map(([value, label]) => (
          <label key={value} className="compare-choice">
            <input
              type="radio"
              name="compare-agreement"
              value={value}
              checked={filter.agreement === value}
              onChange={() => setFilter({ agreement: value })}
              data-testid={`filter-${value}`}
            />
            {label}{' '}
            <span className="count" data-testid={`count-${value}`}>
              {counts.agreement[value]}
            </span>
          </label>
        ))}
      </fieldset>
      <fieldset className="compare-filter-group">
        <legend>Right / wrong (primary metric ≥ threshold)</legend>
        {outcomes.map(([value, label]) => (
          <label key={value} className="compare-choice">
            <input
              type="radio"
              name="compare-outcome"
              value={value}
              checked={filter.outcome === value}
              onChange={() => setFilter({ outcome: value })}
              data-testid={`filter-${value === 'any' ? 'outcome-any' : value}`}
            />
            {label}{' '}
            <span className="count" data-testid={`count-${value === 'any' ? 'outcome-any' : value}`}>
              {counts.outcome[value]}
            </span>
          </label>
        ))}
        <label className="compare-field">
          A
          <select value={filter.a} onChange={(e) => setFilter({ a: Number(e.target.value) })} aria-label="Run A">
            {runOptions}
          </select>
        </label>
        <label className="compare-field">
          B
          <select value={filter.b} onChange={(e) => setFilter({ b: Number(e.target.value) })} aria-label="Run B">
            {runOptions}
          </select>
        </label>
        <label className="compare-field">
          Threshold
          <input
            type="number"
            min={0}
            max={1}
            step={0.05}
            value={filter.threshold}
            onChange={(e) => setFilter({ threshold: Number(e.target.value) || 0 })}
            aria-label="Right when the primary metric reaches this fraction of its scale"
          />
        </label>
      </fieldset>
      <fieldset className="compare-filter-group">
        <legend>Where</legend>
        <label className="compare-field">
          Task
          <select value={filter.task ?? ''} onChange={(e) => setFilter({ task: e.target.value || null })} data-testid="filter-task">
            <option value="">All tasks</option>
            {result.groups.map((g) => (
              <option key={g.key} value={g.key}>
                {g.task}
              </option>
            ))}
          </select>
        </label>
        {categories.length > 1 && (
          <label className="compare-field">
            Category
            <select value={filter.category ?? ''} onChange={(e) => setFilter({ category: e.target.value || null })}>
              <option value="">All</option>
              {categories.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        )}
        <label className="compare-field">
          Metric range
          <select value={range?.run ?? 0} onChange={(e) => setRange({ run: Number(e.target.value) })} aria-label="Metric range: run">
            {runOptions}
          </select>
          <select value={range?.metric ?? metricIds[0]} onChange={(e) => setRange({ metric: e.target.value })} aria-label="Metric range: metric">
            {metricIds.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <input
            type="number"
            className="compare-num"
            placeholder="min"
            value={range?.min ?? ''}
            onChange={(e) => setRange({ min: num(e.target.value) })}
            aria-label="Metric range: minimum"
          />
          <input
            type="number"
            className="compare-num"
            placeholder="max"
            value={range?.max ?? ''}
            onChange={(e) => setRange({ max: num(e.target.value) })}
            aria-label="Metric range: maximum"
          />
        </label>
        <form
          className="compare-field"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            void setSearch(text);
          }}
        >
          <label htmlFor={COMPARE_SEARCH_ID}>Search</label>
          <input
            id={COMPARE_SEARCH_ID}
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="inputs and outputs (/)"
            data-testid="compare-search"
          />
        </form>
      </fieldset>
      {result.reviews && reviewCounts && (
        <fieldset className="compare-filter-group" data-testid="compare-review-filters">
          <legend>Review ({result.reviews.reviewed} reviewed)</legend>
          <label className="compare-field">
            Tag
            <select value={review.tag ?? ''} onChange={(e) => setReview({ tag: e.target.value || null })} data-testid="filter-review-tag">
              <option value="">Any ({reviewCounts.reviewed} reviewed)</option>
              {result.reviews.tags.map((t, i) => (
                <option key={t} value={t}>
                  {t} ({reviewCounts.tags[i]})
                </option>
              ))}
            </select>
          </label>
          <label className="compare-field">
            Verdict
            <select
              value={review.verdict ?? ''}
              onChange={(e) => setReview({ verdict: (e.target.value || null) as typeof review.verdict })}
              data-testid="filter-review-verdict"
            >
              <option value="">Any</option>
              {VERDICTS.map((v) => (
                <option key={v} value={v}>
                  a reviewer said {v === 'partly' ? 'partly correct' : v} ({reviewCounts.verdict[v]})
                </option>
              ))}
            </select>
          </label>
          <label className="compare-field">
            Harm
            <select
              value={review.minSeverity ?? ''}
              onChange={(e) => setReview({ minSeverity: (e.target.value || null) as typeof review.minSeverity })}
              data-testid="filter-review-severity"
            >
              <option value="">Any</option>
              {SEVERITIES.map((v) => (
                <option key={v} value={v}>
                  at least {v} ({reviewCounts.severity[v]})
                </option>
              ))}
            </select>
          </label>
          <label className="compare-field">
            On
            <select
              value={review.run ?? ''}
              onChange={(e) => setReview({ run: e.target.value === '' ? null : Number(e.target.value) })}
              data-testid="filter-review-run"
              aria-label="Review filter: whose output"
            >
              <option value="">any output or the item</option>
              {runOptions}
            </select>
          </label>
        </fieldset>
      )}
      <fieldset className="compare-filter-group">
        <legend>Sort</legend>
        <label className="compare-field">
          By
          <select value={sort.by} onChange={(e) => setSort({ by: e.target.value as typeof sort.by })} data-testid="compare-sort">
            <option value="order">Item order</option>
            <option value="delta">Delta to baseline</option>
            <option value="metric">A run’s metric</option>
            <option value="inputLength">Input length</option>
          </select>
        </label>
        {(sort.by === 'delta' || sort.by === 'metric') && (
          <label className="compare-field">
            Run
            <select value={sort.run} onChange={(e) => setSort({ run: Number(e.target.value) })} data-testid="compare-sort-run">
              {result.runs.map((_, i) => (
                <option key={i} value={i}>
                  {runName(i)}
                </option>
              ))}
            </select>
          </label>
        )}
        {sort.by === 'metric' && (
          <label className="compare-field">
            Metric
            <select value={sort.metric ?? ''} onChange={(e) => setSort({ metric: e.target.value || undefined })}>
              <option value="">Primary</option>
              {metricIds.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
        )}
        <label className="compare-choice">
          <input type="checkbox" checked={sort.desc} onChange={(e) => setSort({ desc: e.target.checked })} />
          Descending
        </label>
      </fieldset>
      <p className="compare-shown" role="status" data-testid="compare-shown">
        {counts.shown} of {counts.total} items
      </p>
      <button
        type="button"
        className="button"
        disabled={counts.shown === 0}
        data-testid="compare-review-rows"
        onClick={() =>
          useReview.getState().openStart(
            result.runs.map((r) => r.id),
            { filter, search: result.search, rows: counts.shown },
          )
        }
      >
        Review these {counts.shown} rows…
      </button>
    </section>
  );
}
