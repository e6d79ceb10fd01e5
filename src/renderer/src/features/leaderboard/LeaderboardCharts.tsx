/**
 * Charts beside the leaderboard table: score per task per run with 95% CI whiskers (engine:
 * `leaderboard`), and for two picked runs the per-item scatter and the per-item score
 * distribution (engine: `compareRuns`, the same per-item values Compare shows). Each chart
 * also reads as a table and saves as PNG or SVG.
 */
import { useEffect, useMemo, useState } from 'react';
import type { CompareResult, LeaderboardResult } from '../../../../shared/compare';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { ErrorNote } from '../../ui/ErrorNote';
import { ChartFrame } from './ChartFrame';
import { distributionChart, itemScatterChart, scoreByTaskChart } from './chartOptions';
import './leaderboard.css';

export function LeaderboardCharts() {
  const [board, setBoard] = useState<LeaderboardResult | null>(null);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [benchmark, setBenchmark] = useState('');
  const [benchmarks, setBenchmarks] = useState<string[]>([]);

  useEffect(() => {
    let live = true;
    getClient()
      .leaderboard(benchmark ? { benchmark } : {})
      .then((b) => {
        if (!live) return;
        setError(null);
        setBoard(b);
        if (!benchmark) setBenchmarks([...new Set(b.columns.map((c) => c.benchmark))]);
      })
      .catch((err: unknown) => live && setError(toErrorData(err)));
    return () => {
      live = false;
    };
  }, [benchmark]);

  const byTask = useMemo(() => (board ? scoreByTaskChart(board) : null), [board]);
  if (error) return <ErrorNote error={error} />;
  if (!board || !byTask) return <p className="pane-note">Loading the charts…</p>;
  if (board.entries.length === 0) return null;
  return (
    <section className="lb-charts" aria-label="Leaderboard charts" data-testid="leaderboard-charts">
      <h2 className="lb-charts-title">Charts</h2>
      <label className="compare-field">
        Chart benchmark
        <select value={benchmark} onChange={(e) => setBenchmark(e.target.value)} data-testid="lb-chart-benchmark">
          <option value="">All</option>
          {benchmarks.map((b) => (
            <option key={b}>{b}</option>
          ))}
        </select>
      </label>
      <ChartFrame
        title="Score by task and category, per run (95% CI)"
        option={byTask.option}
        table={byTask.table}
        testId="lb-chart-score"
        note={byTask.mixed ? 'MedINST32 fractions are drawn ×100 beside MedS-Bench percentages; the table keeps each benchmark’s own scale.' : undefined}
      />
      <PairCharts board={board} />
    </section>
  );
}

function PairCharts({ board }: { board: LeaderboardResult }) {
  const ids = board.entries.map((e) => e.runId);
  const [a, setA] = useState<number | null>(ids[0] ?? null);
  const [b, setB] = useState<number | null>(ids[1] ?? null);
  const [result, setResult] = useState<CompareResult | null>(null);
  const [error, setError] = useState<ApiErrorData | null>(null);

  useEffect(() => {
    if (a === null || b === null || a === b) return;
    let live = true;
    getClient()
      .compareRuns({ runIds: [a, b] })
      .then((r) => {
        if (!live) return;
        setError(null);
        setResult(r);
      })
      .catch((err: unknown) => live && setError(toErrorData(err)));
    return () => {
      live = false;
    };
  }, [a, b]);

  const scatter = useMemo(() => (result ? itemScatterChart(result) : null), [result]);
  const dist = useMemo(() => (result ? distributionChart(result) : null), [result]);
  if (ids.length < 2) return <p className="pane-note">Per-item charts need two scored runs.</p>;
  const picker = (label: string, value: number | null, set: (v: number) => void, testId: string) => (
    <label className="compare-field">
      {label}
      <select value={value ?? ''} onChange={(e) => set(Number(e.target.value))} data-testid={testId}>
        {board.entries.map((e) => (
          <option key={e.runId} value={e.runId}>
            {e.runId} · {e.name}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="lb-pair">
      <div className="compare-diff-bar">
        {picker('Run A', a, setA, 'lb-run-a')}
        {picker('Run B', b, setB, 'lb-run-b')}
      </div>
      {a === b ? <p className="pane-note">Pick two different runs.</p> : null}
      {error ? <ErrorNote error={error} /> : null}
      {a !== b && scatter && dist && result ? (
        <>
          <ChartFrame
            title={`Per-item scores: run ${result.runs[0]?.id} vs run ${result.runs[1]?.id}`}
            option={scatter.option}
            table={scatter.table}
            testId="lb-chart-scatter"
            note="Each dot is a pair of scores; its size is how many items share it. On the dashed line both runs scored the item alike."
          />
          <ChartFrame title="Distribution of per-item scores" option={dist.option} table={dist.table} testId="lb-chart-dist" />
        </>
      ) : null}
    </div>
  );
}
