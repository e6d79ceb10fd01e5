/**
 * `medtask annotations export|import|sessions|tags|orphans`, `medtask report` and
 * `medtask agreement`: error-analysis results from a terminal, over the same calls as the app.
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { AgreementResult, KappaResult, WeightedKappaResult } from '../../shared/annotations';
import { call, openCore } from '../core';
import { printJson, printTable } from '../output';

function id(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer id');
  return n;
}

/** `--scope session:12` (or just `12`): the session whose scope is measured. */
function sessionScope(value: string): number {
  const m = /^(?:session:)?(\d+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected session:ID (the scope of that review session), e.g. session:3');
  return id(m[1]!);
}

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

function kappaLine(what: string, k: KappaResult | null) {
  if (!k) return { what, statistic: '-', kappa: '-', units: 0, agreement: '-', counts: '' };
  return {
    what,
    statistic: k.method === 'cohen' ? "Cohen's kappa" : "Fleiss' kappa",
    kappa: k.kappa === null ? 'undefined' : k.kappa.toFixed(3),
    units: k.units,
    agreement: k.observedAgreement === null ? '-' : k.observedAgreement.toFixed(3),
    counts: Object.entries(k.counts)
      .map(([c, n]) => `${c} ${n}`)
      .join(', '),
  };
}

/** Severity is ordinal: weighted kappas beside the unweighted one (no per-category counts: the severity row has them). */
function weightedLines(k: WeightedKappaResult | null) {
  const statistic = (w: string) => (k?.method === 'pairwise-mean' ? `${w}-weighted kappa (mean of pairs)` : `${w}-weighted Cohen's kappa`);
  const value = (v: number | null | undefined) => (v === undefined ? '-' : v === null ? 'undefined' : v.toFixed(3));
  return (['linear', 'quadratic'] as const).map((w) => ({
    what: `severity (${w})`,
    statistic: statistic(w),
    kappa: value(k?.[w]),
    units: k?.units ?? 0,
    agreement: '-',
    counts: '',
  }));
}

function printAgreement(a: AgreementResult): void {
  process.stdout.write(`reviewers: ${a.reviewers.join(', ') || 'none'}; annotated outputs: ${a.targets}\n`);
  if (a.note) process.stdout.write(`${a.note}\n`);
  if (a.reviewers.length < 2) return;
  printTable(
    [
      kappaLine('verdict', a.verdict),
      kappaLine('severity', a.severity),
      ...weightedLines(a.severityWeighted),
      ...a.tags.map((t) => kappaLine(`tag: ${t.tag}`, t)),
    ],
    ['what', 'statistic', 'kappa', 'units', 'agreement', 'counts'],
  );
}

export function registerAnnotationCommands(program: Command): void {
  const ann = program.command('annotations').description('error-analysis annotations: export, import and merge, sessions, tags, orphans');

  ann
    .command('export')
    .description("write annotations (a run's, a session's, or all) as JSON (re-importable) or CSV")
    .option('--run <id>', "annotations of this run's outputs (all reviewers)", id)
    .option('--session <id>', 'annotations made in this review session', id)
    .addOption(new Option('--format <format>', 'file format').choices(['json', 'csv']).makeOptionMandatory())
    .requiredOption('--out <file>', 'output file (written through a temporary file, then renamed)')
    .option('--overwrite', 'replace the output file if it exists')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { run?: number; session?: number; format: 'json' | 'csv'; out: string; overwrite?: boolean; json?: boolean }, cmd: Command) => {
      if (opts.run !== undefined && opts.session !== undefined) throw new InvalidArgumentError('give --run or --session, not both');
      const core = openCore(cmd);
      try {
        const res = await call(core, 'exportAnnotations', {
          format: opts.format,
          out: path.resolve(opts.out),
          overwrite: !!opts.overwrite,
          ...(opts.run !== undefined ? { runId: opts.run } : {}),
          ...(opts.session !== undefined ? { sessionId: opts.session } : {}),
        });
        if (opts.json) printJson(res);
        else process.stdout.write(`wrote ${res.count} annotations to ${res.file} (${res.bytes} bytes)\n`);
      } finally {
        await core.dispose();
      }
    });

  ann
    .command('import')
    .description("merge a colleague's JSON export: same identities matched, differences listed as conflicts and never overwritten unless taken")
    .argument('<file>', 'an annotations JSON export')
    .option('--take <keys>', 'conflict keys (as listed) whose incoming annotation replaces the local one; comma-separated, repeatable', list)
    .option('--json', 'print machine-readable results')
    .action(async (file: string, opts: { take?: string[]; json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const res = await call(core, 'importAnnotations', { file: path.resolve(file), take: opts.take ?? [] });
        if (opts.json) printJson(res);
        else {
          process.stdout.write(`${res.added} added, ${res.unchanged} already here, ${res.taken} replaced, ${res.conflicts.length} conflicts\n`);
          if (res.tagsCreated.length) process.stdout.write(`new tags: ${res.tagsCreated.join(', ')}\n`);
          for (const c of res.conflicts) {
            process.stdout.write(
              `conflict ${c.key}\n  here:     ${c.local.verdict ?? '-'} / ${c.local.severity ?? '-'} / [${c.local.tags.join(', ')}] ${JSON.stringify(c.local.note)}\n  incoming: ${c.incoming.verdict ?? '-'} / ${c.incoming.severity ?? '-'} / [${c.incoming.tags.join(', ')}] ${JSON.stringify(c.incoming.note)}${c.fingerprintDiffers ? "\n  (the item's content differs between the two libraries)" : ''}\n`,
            );
          }
          if (res.conflicts.length) process.stdout.write('take an incoming one with --take KEY\n');
        }
      } finally {
        await core.dispose();
      }
    });

  ann
    .command('sessions')
    .description('list review sessions with their progress')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const sessions = await call(core, 'listAnnotationSessions', {});
        if (opts.json) printJson(sessions);
        else
          printTable(
            sessions.map((s) => ({
              id: s.id,
              name: s.name,
              reviewer: s.reviewer,
              scope: s.scope.kind,
              blind: s.blind ? (s.revealed ? 'revealed' : 'yes') : 'no',
              status: s.status,
              progress: `${s.reviewed}/${s.total}`,
            })),
            ['id', 'name', 'reviewer', 'scope', 'blind', 'status', 'progress'],
          );
      } finally {
        await core.dispose();
      }
    });

  ann
    .command('tags')
    .description("the tag taxonomy (edit it in the app's session view)")
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const tags = await call(core, 'listAnnotationTags', {});
        if (opts.json) printJson(tags);
        else
          printTable(
            tags.map((t) => ({ key: t.hotkey ?? '', name: t.name, colour: t.color, uses: t.uses })),
            ['key', 'name', 'colour', 'uses'],
          );
      } finally {
        await core.dispose();
      }
    });

  ann
    .command('orphans')
    .description('annotations whose item changed or disappeared when its benchmark file was re-imported')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const orphans = await call(core, 'annotationOrphans', {});
        if (opts.json) printJson(orphans);
        else if (orphans.length === 0) process.stdout.write('no orphaned annotations\n');
        else
          printTable(
            orphans.map((o) => ({ item: o.itemKey, output: o.run ?? '(the item)', reviewer: o.reviewer, reason: o.reason })),
            ['item', 'output', 'reviewer', 'reason'],
          );
      } finally {
        await core.dispose();
      }
    });

  program
    .command('report')
    .description("write a review session's report as one self-contained HTML file (opens offline)")
    .requiredOption('--session <id>', 'review session', id)
    .requiredOption('--out <file>', 'output .html file')
    .option('--overwrite', 'replace the output file if it exists')
    .option('--json', 'print machine-readable results')
    .action(async (opts: { session: number; out: string; overwrite?: boolean; json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const res = await call(core, 'writeAnnotationReport', { sessionId: opts.session, out: path.resolve(opts.out), overwrite: !!opts.overwrite });
        if (opts.json) printJson(res);
        else process.stdout.write(`wrote ${res.file} (${res.bytes} bytes)\n`);
      } finally {
        await core.dispose();
      }
    });

  program
    .command('agreement')
    .description("agreement between reviewers on a session's scope: Cohen's kappa for two, Fleiss' for more, per tag and for verdicts and severities")
    .requiredOption('--scope <session:ID>', 'the review session whose outputs are compared across reviewers', sessionScope)
    .option('--reviewers <names>', 'only these reviewers (comma-separated; default: everyone who annotated the scope)', list)
    .option('--json', 'print machine-readable results')
    .action(async (opts: { scope: number; reviewers?: string[]; json?: boolean }, cmd: Command) => {
      const core = openCore(cmd);
      try {
        const res = await call(core, 'annotationAgreement', { sessionId: opts.scope, ...(opts.reviewers ? { reviewers: opts.reviewers } : {}) });
        if (opts.json) printJson(res);
        else printAgreement(res);
      } finally {
        await core.dispose();
      }
    });
}
