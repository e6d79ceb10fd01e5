/**
 * A session report as one self-contained HTML file: no scripts, no external resources (a CSP
 * meta forbids loading any), charts as inline SVG. Everything from the library or a reviewer —
 * names, outputs, notes — is escaped, so a note holding markup shows as text.
 */
import {
  SEVERITIES,
  VERDICTS,
  type AgreementResult,
  type KappaResult,
  type SessionDetail,
  type WeightedKappaResult,
  type SessionItem,
} from '../../shared/annotations';
import type { Db } from '../db/open';
import { sessionAgreement } from './sessionAgreement';
import { getSessionItem, sessionDetail, sessionItems, sessionRow, sessionRuns } from './sessions';
import { readAnnotation } from './store';
import { listTags } from './taxonomy';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const PALETTE = ['#2c6fbb', '#d9822b', '#3a9d5d', '#b8403a', '#7d5ba6', '#8c6d31', '#c2587f', '#5f7f8f'];
const MAX_TEXT = 4000;
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}… [${s.length - MAX_TEXT} more characters]` : s);
const fmt = (v: number | null, digits = 3) => (v === null || !Number.isFinite(v) ? '—' : v.toFixed(digits));

/** A grouped bar chart: one group per category, one bar per series. */
export function barChartSvg(title: string, categories: string[], series: { label: string; values: number[] }[]): string {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const barW = 14;
  const groupW = series.length * barW + 18;
  const h = 180;
  const left = 36;
  const width = Math.max(320, left + categories.length * groupW + 20);
  const bars = categories
    .map((c, ci) =>
      series
        .map((s, si) => {
          const v = s.values[ci] ?? 0;
          const bh = Math.round((v / max) * (h - 20));
          const x = left + ci * groupW + si * barW;
          return `<rect x="${x}" y="${h - bh}" width="${barW - 2}" height="${bh}" fill="${PALETTE[si % PALETTE.length]}"><title>${escapeHtml(`${s.label} · ${c}: ${v}`)}</title></rect>`;
        })
        .join(''),
    )
    .join('');
  const labels = categories
    .map((c, ci) => {
      const x = left + ci * groupW + (series.length * barW) / 2;
      return `<text x="${x}" y="${h + 12}" font-size="9" text-anchor="end" transform="rotate(-35 ${x} ${h + 12})">${escapeHtml(c.length > 28 ? `${c.slice(0, 27)}…` : c)}</text>`;
    })
    .join('');
  const legend = series
    .map((s, si) => `<span class="key"><span class="sw" style="background:${PALETTE[si % PALETTE.length]}"></span>${escapeHtml(s.label)}</span>`)
    .join(' ');
  return `<figure><svg role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${h + 90}" viewBox="0 0 ${width} ${h + 90}">
<line x1="${left - 4}" y1="${h}" x2="${width - 10}" y2="${h}" stroke="#888"/><text x="4" y="12" font-size="10">${max}</text><text x="4" y="${h}" font-size="10">0</text>${bars}${labels}</svg>
<figcaption>${escapeHtml(title)} ${legend}</figcaption></figure>`;
}

function table(head: string[], rows: (string | number)[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function kappaRow(name: string, k: KappaResult | null): (string | number)[] {
  if (!k) return [name, '—', '—', 0, '—', ''];
  return [
    name,
    k.method === 'cohen' ? "Cohen's κ" : "Fleiss' κ",
    fmt(k.kappa),
    k.units,
    fmt(k.observedAgreement),
    Object.entries(k.counts)
      .map(([c, n]) => `${c} ${n}`)
      .join(', '),
  ];
}

/** Severity is ordinal: its linear- and quadratic-weighted kappas, in the same columns. */
function weightedRows(k: WeightedKappaResult | null): (string | number)[][] {
  return (['linear', 'quadratic'] as const).map((w) => [
    `severity (${w}-weighted)`,
    k?.method === 'pairwise-mean' ? `${w}-weighted κ, mean of pairs` : `${w}-weighted Cohen's κ`,
    k ? fmt(k[w]) : '—',
    k?.units ?? 0,
    '—',
    '',
  ]);
}

function agreementSection(a: AgreementResult): string {
  const rows = [
    kappaRow('verdict', a.verdict),
    kappaRow('severity', a.severity),
    ...weightedRows(a.severityWeighted),
    ...a.tags.map((t) => kappaRow(`tag: ${t.tag}`, t)),
  ];
  return `<h2>Agreement between reviewers</h2><p>Reviewers: ${escapeHtml(a.reviewers.join(', ') || 'none')}. ${escapeHtml(a.note ?? '')}</p>${
    a.reviewers.length >= 2 ? table(['what', 'statistic', 'κ', 'units', 'observed agreement', 'counts'], rows) : ''
  }`;
}

function annotationLine(tags: Map<number, string>, a: SessionItem['item']): string {
  const parts = [
    a.verdict ? `verdict: ${a.verdict}` : '',
    a.severity ? `harm: ${a.severity}` : '',
    a.tagIds.length ? `tags: ${a.tagIds.map((t) => tags.get(t) ?? `#${t}`).join(', ')}` : '',
  ].filter(Boolean);
  return `<p class="ann">${escapeHtml(parts.join(' · ') || 'not annotated')}</p>${a.note ? `<blockquote>${escapeHtml(a.note)}</blockquote>` : ''}`;
}

export function renderReport(db: Db, sessionId: number): string {
  const detail: SessionDetail = sessionDetail(db, sessionId);
  const s = sessionRow(db, sessionId);
  const runs = sessionRuns(db, s);
  const labels = detail.runs.map((r) => r.label);
  const tags = listTags(db);
  const tagNames = new Map(tags.map((t) => [t.id, t.name]));
  const items = sessionItems(db, sessionId);
  const tagCounts = runs.map(() => new Map<string, number>());
  const sevCounts = runs.map(() => new Map<string, number>());
  const verdictCounts = runs.map(() => new Map<string, number>());
  const annotatedOrds: number[] = [];
  for (const it of items) {
    let any = !!readAnnotation(db, { itemKey: it.key, runUid: '', reviewer: s.reviewer });
    runs.forEach((run, i) => {
      if (!run) return;
      const a = readAnnotation(db, { itemKey: it.key, runUid: run.uid, reviewer: s.reviewer });
      if (!a) return;
      any = true;
      for (const t of a.tags) tagCounts[i]!.set(t, (tagCounts[i]!.get(t) ?? 0) + 1);
      if (a.severity) sevCounts[i]!.set(a.severity, (sevCounts[i]!.get(a.severity) ?? 0) + 1);
      if (a.verdict) verdictCounts[i]!.set(a.verdict, (verdictCounts[i]!.get(a.verdict) ?? 0) + 1);
    });
    if (any) annotatedOrds.push(it.ord);
  }
  const usedTags = tags.map((t) => t.name).filter((n) => tagCounts.some((m) => m.has(n)));
  const seriesOf = (counts: Map<string, number>[], cats: readonly string[]) =>
    labels.map((label, i) => ({ label, values: cats.map((c) => counts[i]!.get(c) ?? 0) }));
  const scope = detail.scope;
  const scopeText =
    scope.kind === 'run'
      ? 'one run'
      : scope.kind === 'comparison'
        ? `comparison of ${scope.runIds.length} runs, filter ${scope.filter}`
        : `seeded sample of ${scope.n} items (seed ${scope.seed})`;
  const examples = annotatedOrds
    .map((ord) => {
      const item = getSessionItem(db, sessionId, ord);
      return `<section class="ex"><h3>${escapeHtml(item.itemKey)}</h3>
<h4>Input</h4><pre>${escapeHtml(clip(item.input))}</pre><h4>Gold</h4><pre>${escapeHtml(clip(item.gold.join('\n')))}</pre>
<h4>The item itself</h4>${annotationLine(tagNames, item.item)}
${item.columns
  .map(
    (
      c,
    ) => `<div class="out"><h4>${escapeHtml(c.label)}${c.modelLabel ? ` <small>${escapeHtml(c.modelLabel)}</small>` : ''}</h4><pre>${escapeHtml(clip(c.output ?? '(no output)'))}</pre>
<p class="metrics">${escapeHtml(
      Object.entries(c.metrics)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join(' · '),
    )}</p>${annotationLine(tagNames, c.annotation)}</div>`,
  )
  .join('')}</section>`;
    })
    .join('\n');
  const adjusted = detail.adjusted
    ? table(
        ['run', 'metric (per-item mean)', 'items', 'reviewed', 'automatic', 'adjusted by review'],
        detail.adjusted.map((a) => [a.runLabel, a.metric, a.items, a.reviewed, fmt(a.automatic), fmt(a.adjusted)]),
      )
    : '<p>Hidden until the blind session ends.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Review report: ${detail.name}`)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #c8ccd2;padding:.25rem .5rem;text-align:left;vertical-align:top}
pre{white-space:pre-wrap;word-break:break-word;background:#f4f5f7;padding:.5rem;border-radius:4px;max-height:20rem;overflow:auto}
.ex{border-top:2px solid #d0d4da;margin-top:1.5rem}.out{border-left:3px solid #9aa3ad;padding-left:.75rem;margin:.5rem 0}
.ann{font-weight:600}.key{margin-right:.75rem}.sw{display:inline-block;width:.8em;height:.8em;margin-right:.25em;vertical-align:middle}
blockquote{margin:.25rem 0;padding:.25rem .75rem;border-left:3px solid #d9822b;background:#fff7ee}
</style></head><body>
<h1>${escapeHtml(detail.name)}</h1>
<p>Reviewer: <strong>${escapeHtml(detail.reviewer)}</strong> · scope: ${escapeHtml(scopeText)} · ${detail.blind ? (detail.revealed ? 'blind, revealed at the end' : 'blind (runs still hidden)') : 'not blind'} · ${detail.reviewed} of ${detail.total} items reviewed · started ${escapeHtml(detail.createdAt)}${detail.endedAt ? `, ended ${escapeHtml(detail.endedAt)}` : ''}</p>
<h2>Runs</h2>${table(
    ['label', 'model'],
    detail.runs.map((r) => [r.label, r.modelLabel ?? '(hidden)']),
  )}
<h2>Automatic and adjusted scores</h2>
<p>Manual verdicts never replace the automatic scores; "adjusted by review" substitutes this reviewer's verdicts (correct 1, partly 0.5, incorrect 0) for the automatic per-item score where one was given.</p>
${adjusted}
<h2>Tags by run</h2>${
    usedTags.length
      ? barChartSvg('Tag counts by run', usedTags, seriesOf(tagCounts, usedTags)) +
        table(
          ['tag', ...labels],
          usedTags.map((t) => [t, ...tagCounts.map((m) => m.get(t) ?? 0)]),
        )
      : '<p>No tags given.</p>'
  }
<h2>Clinical harm by run</h2>${barChartSvg('Harm severity counts by run', [...SEVERITIES], seriesOf(sevCounts, SEVERITIES))}${table(
    ['severity', ...labels],
    SEVERITIES.map((v) => [v, ...sevCounts.map((m) => m.get(v) ?? 0)]),
  )}
<h2>Verdicts by run</h2>${table(
    ['verdict', ...labels],
    VERDICTS.map((v) => [v, ...verdictCounts.map((m) => m.get(v) ?? 0)]),
  )}
${agreementSection(sessionAgreement(db, sessionId))}
<h2>Annotated examples (${annotatedOrds.length})</h2>
${examples || '<p>None yet.</p>'}
</body></html>
`;
}
