import type { RunSetup, RunStatus, RunSummary, TaskScore } from '../../../../shared/runs';
import { formatDuration } from '../../lib/format';

/** Scores are shown the same way everywhere (list, detail, exports compare by text). */
export function formatScore(value: number): string {
  return Number.isFinite(value) ? value.toFixed(4) : String(value);
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return formatDuration(ms / 1000);
}

export function formatTokensPerSecond(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${rate >= 100 ? Math.round(rate) : rate.toFixed(1)} tok/s`;
}

/** The headline of each task: its first metric, as the benchmark lists it. */
export function headlineScores(scores: readonly TaskScore[]): { task: string; metric: string; value: number }[] {
  const out: { task: string; metric: string; value: number }[] = [];
  for (const s of scores) {
    const first = Object.entries(s.metrics)[0];
    if (first) out.push({ task: s.task, metric: first[0], value: first[1] });
  }
  return out;
}

/** Statuses in which the engine may still change the run on its own. */
export function isActiveStatus(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

export function canPause(run: RunSummary): boolean {
  return run.kind !== 'imported' && isActiveStatus(run.status);
}

export function canResume(run: RunSummary): boolean {
  return run.kind !== 'imported' && (run.status === 'paused' || run.status === 'cancelled' || run.status === 'failed');
}

export function canCancel(run: RunSummary): boolean {
  return run.kind !== 'imported' && (isActiveStatus(run.status) || run.status === 'paused');
}

export function canRescore(run: RunSummary): boolean {
  return !isActiveStatus(run.status) && run.itemDone > 0;
}

export function otherMode(mode: RunSummary['metricMode']): RunSummary['metricMode'] {
  return mode === 'reference' ? 'corrected' : 'reference';
}

/** Wall time: the engine's total once stopped; while running, the time since it started. */
export function wallTime(run: RunSummary, now = Date.now()): string {
  if (run.wallMs > 0) return formatMs(run.wallMs);
  if (run.status === 'running' && run.startedAt) return formatMs(now - Date.parse(run.startedAt));
  return '—';
}

const STRATEGY_NAMES: Record<NonNullable<RunSetup['strategy']>, string> = {
  medinst32: 'MedINST32',
  'meds-bench': 'MedS-Bench',
  generic: 'generic',
  'zero-shot': 'zero-shot',
  raw: 'raw',
};

/** What a run is, in the run list's words: tasks, configs, strategy with shots, and the model (or its saved configuration). */
export function setupParts(setup: RunSetup): { tasks: string; configs: string | null; prompt: string | null; model: string | null } {
  const tasks = setup.tasks.length <= 2 ? setup.tasks.join(', ') : `${setup.tasks.slice(0, 2).join(', ')} +${setup.tasks.length - 2} more`;
  const prompt = setup.strategy === null ? null : `${STRATEGY_NAMES[setup.strategy]}${setup.shots !== null ? ` · ${setup.shots}-shot` : ''}`;
  const model = setup.model === null ? null : `${setup.configName !== null ? `${setup.configName}: ` : ''}${[setup.model, ...setup.adapters].join(' + ')}`;
  return { tasks, configs: setup.configs.length ? setup.configs.join(', ') : null, prompt, model };
}
