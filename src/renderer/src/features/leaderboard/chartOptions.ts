/**
 * Pure builders from the engine's results to echarts options plus the same numbers as a table:
 * score per task (grouped by category) per run with 95% CI whiskers, the per-item scatter of two
 * runs, and the distribution of per-item scores. Values keep their benchmark's scale; a chart
 * that mixes scales plots everything as a percentage and says so.
 */
import type { CompareResult, LeaderboardResult } from '../../../../shared/compare';
import type { ChartOption } from './echarts';
import type { ChartTable } from './ChartFrame';

const fmt = (v: number, scale: 1 | 100) => (scale === 100 ? `${v.toFixed(1)}%` : v.toFixed(3));

export function scoreByTaskChart(board: LeaderboardResult): { option: ChartOption; table: ChartTable; mixed: boolean } {
  const columns = [...board.columns].sort((a, b) => (a.category ?? '').localeCompare(b.category ?? '') || a.task.localeCompare(b.task));
  const scales = new Set(columns.map((c) => c.scale));
  const mixed = scales.size > 1;
  // One scale on the axis: the benchmark's own when all columns share it, else percent.
  const axisScale: 1 | 100 = mixed ? 100 : (columns[0]?.scale ?? 1);
  const toAxis = (v: number, scale: 1 | 100) => (axisScale === scale ? v : (v * 100) / scale);
  const labels = columns.map((c) => (c.category ? `${c.category} · ${c.task}` : c.task));
  const k = board.entries.length;
  const series = board.entries.map((e, i) => ({
    type: 'custom',
    name: `${e.runId} · ${e.name}`,
    encode: { x: 0, y: 1 },
    data: columns.map((c, x) => {
      const cell = e.cells[c.key];
      return cell ? [x, toAxis(cell.estimate, c.scale), toAxis(cell.low, c.scale), toAxis(cell.high, c.scale)] : [x, null, null, null];
    }),
    renderItem: (
      _params: unknown,
      api: { value: (d: number) => number; coord: (p: number[]) => number[]; size: (p: number[]) => number[]; visual: (n: string) => string },
    ) => {
      const x = api.value(0);
      const y = api.value(1);
      if (y === null || Number.isNaN(y)) return null;
      const band = api.size([1, 0])[0]!;
      const width = (band * 0.8) / Math.max(1, k);
      const offset = (i - (k - 1) / 2) * width;
      const [cx, cy] = api.coord([x, y]) as [number, number];
      const [, y0] = api.coord([x, 0]) as [number, number];
      const [, lowY] = api.coord([x, api.value(2)]) as [number, number];
      const [, highY] = api.coord([x, api.value(3)]) as [number, number];
      const mid = cx + offset;
      const color = api.visual('color');
      const cap = width / 4;
      return {
        type: 'group',
        children: [
          { type: 'rect', shape: { x: mid - width * 0.4, y: cy, width: width * 0.8, height: y0 - cy }, style: { fill: color, opacity: 0.75 } },
          { type: 'line', shape: { x1: mid, y1: lowY, x2: mid, y2: highY }, style: { stroke: '#222', lineWidth: 1.5 } },
          { type: 'line', shape: { x1: mid - cap, y1: lowY, x2: mid + cap, y2: lowY }, style: { stroke: '#222', lineWidth: 1.5 } },
          { type: 'line', shape: { x1: mid - cap, y1: highY, x2: mid + cap, y2: highY }, style: { stroke: '#222', lineWidth: 1.5 } },
        ],
      };
    },
  }));
  const option: ChartOption = {
    legend: { top: 0, type: 'scroll' },
    tooltip: { trigger: 'item' },
    grid: { left: 56, right: 16, top: 36, bottom: 72 },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 4 ? 30 : 0, interval: 0 } },
    yAxis: { type: 'value', name: axisScale === 100 ? 'score (%)' : 'score (fraction)', min: 0, max: axisScale === 100 ? 100 : 1 },
    series,
  };
  const table: ChartTable = {
    columns: ['Run', ...columns.map((c, j) => `${labels[j]} (${c.metric}${c.scale === 100 ? ', %' : ', fraction'})`)],
    rows: board.entries.map((e) => [
      `${e.runId} · ${e.name}`,
      ...columns.map((c) => {
        const cell = e.cells[c.key];
        return cell ? `${fmt(cell.estimate, c.scale)} [${fmt(cell.low, c.scale)}, ${fmt(cell.high, c.scale)}]` : '–';
      }),
    ]),
  };
  return { option, table, mixed };
}

/** The primary metric's per-item values of run 0 and run 1 of a two-run compare, per common item. */
export function pairedItemValues(result: CompareResult): { key: string; a: number; b: number; scale: 1 | 100; metric: string }[] {
  const out: { key: string; a: number; b: number; scale: 1 | 100; metric: string }[] = [];
  for (const row of result.rows) {
    const group = result.groups[row.group]!;
    const metric = group.metrics[group.primary]!;
    const a = row.values[0]?.[group.primary];
    const b = row.values[1]?.[group.primary];
    if (a === null || a === undefined || b === null || b === undefined) continue;
    out.push({ key: row.key, a, b, scale: metric.scale, metric: metric.id });
  }
  return out;
}

export function itemScatterChart(result: CompareResult): { option: ChartOption; table: ChartTable } {
  const points = pairedItemValues(result);
  const [ra, rb] = result.runs;
  const scale = points[0]?.scale ?? 1;
  const metric = points[0]?.metric ?? '';
  const unit = scale === 100 ? '%' : 'fraction';
  // Many items share a point (right/wrong metrics): the count at each point sizes the dot.
  const counts = new Map<string, { a: number; b: number; n: number }>();
  for (const p of points) {
    const id = `${p.a}|${p.b}`;
    const c = counts.get(id) ?? { a: p.a, b: p.b, n: 0 };
    c.n += 1;
    counts.set(id, c);
  }
  const data = [...counts.values()].map((c) => [c.a, c.b, c.n]);
  const max = scale === 100 ? 100 : 1;
  const option: ChartOption = {
    tooltip: { trigger: 'item' },
    grid: { left: 64, right: 24, top: 24, bottom: 56 },
    xAxis: { type: 'value', name: `${ra?.id} · ${ra?.name} (${metric}, ${unit})`, nameLocation: 'middle', nameGap: 32, min: 0, max },
    yAxis: { type: 'value', name: `${rb?.id} · ${rb?.name}`, nameLocation: 'middle', nameGap: 44, min: 0, max },
    series: [
      {
        type: 'line',
        data: [
          [0, 0],
          [max, max],
        ],
        symbol: 'none',
        lineStyle: { type: 'dashed', color: '#888' },
        silent: true,
      },
      { type: 'scatter', data, symbolSize: (v: number[]) => Math.min(40, 6 + Math.sqrt(v[2] ?? 1) * 4) },
    ],
  };
  const table: ChartTable = {
    columns: [`${ra?.name ?? 'A'} (${metric})`, `${rb?.name ?? 'B'} (${metric})`, 'Items'],
    rows: [...counts.values()].sort((x, y) => x.a - y.a || x.b - y.b).map((c) => [fmt(c.a, scale), fmt(c.b, scale), c.n]),
  };
  return { option, table };
}

/** Histogram of each compared run's per-item primary-metric values, in ten equal bins over the scale. */
export function distributionChart(result: CompareResult): { option: ChartOption; table: ChartTable } {
  const bins = 10;
  const first = result.groups[0];
  const scale = first?.metrics[first.primary]?.scale ?? 1;
  const max = scale === 100 ? 100 : 1;
  const counts = result.runs.map(() => new Array<number>(bins).fill(0));
  for (const row of result.rows) {
    const group = result.groups[row.group]!;
    row.values.forEach((vals, r) => {
      const v = vals[group.primary];
      if (v === null || v === undefined) return;
      const bin = Math.min(bins - 1, Math.max(0, Math.floor((v / max) * bins)));
      counts[r]![bin]! += 1;
    });
  }
  const labels = Array.from({ length: bins }, (_, i) => `${fmt((i * max) / bins, scale)}–${fmt(((i + 1) * max) / bins, scale)}`);
  const option: ChartOption = {
    legend: { top: 0 },
    tooltip: { trigger: 'axis' },
    grid: { left: 48, right: 16, top: 36, bottom: 64 },
    xAxis: { type: 'category', data: labels, axisLabel: { rotate: 30, interval: 0 } },
    yAxis: { type: 'value', name: 'items', minInterval: 1 },
    series: result.runs.map((r, i) => ({ type: 'bar', name: `${r.id} · ${r.name}`, data: counts[i] })),
  };
  const table: ChartTable = {
    columns: ['Score bin', ...result.runs.map((r) => `${r.id} · ${r.name}`)],
    rows: labels.map((l, b) => [l, ...counts.map((c) => c[b]!)]),
  };
  return { option, table };
}
