/**
 * The Playground's history of generations, kept in the page's localStorage so it survives reloads
 * (a scratch record of tries, not data a run or an export depends on, so no table in the database).
 */
import type { GenerateOutput } from '../../../../shared/models';
import type { ColumnSetup, PlaygroundForm } from './playgroundRequest';
import type { PlaygroundItem } from './playgroundItem';

export const HISTORY_KEY = 'medtask.playground.history.v1';
/** The newest entries kept; older ones drop off. */
export const HISTORY_LIMIT = 40;
/** Longer outputs are kept cut (and said so), so one runaway generation cannot fill the storage. */
const OUTPUT_LIMIT = 20_000;

export type ColumnOutcome = 'done' | 'failed' | 'cancelled';

export interface HistoryColumn {
  setup: ColumnSetup;
  /** The model as the column named it when it ran (the library may rename it later). */
  label: string;
  outcome: ColumnOutcome;
  output: string;
  result: GenerateOutput | null;
  error: string | null;
}

export interface HistoryEntry {
  id: string;
  /** When the generation started (ms since the epoch). */
  at: number;
  /** The prompt and settings, as the form held them (columns included). */
  form: PlaygroundForm;
  item: PlaygroundItem | null;
  columns: HistoryColumn[];
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage disabled for this page
  }
}

export function loadHistory(): HistoryEntry[] {
  const raw = storage()?.getItem(HISTORY_KEY);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as HistoryEntry[]).filter((e) => typeof e?.id === 'string' && Array.isArray(e.columns)) : [];
  } catch {
    return []; // a damaged entry list starts afresh rather than breaking the view
  }
}

/** Newest first, at most HISTORY_LIMIT, outputs cut to OUTPUT_LIMIT characters. */
export function saveHistory(entries: HistoryEntry[]): HistoryEntry[] {
  const kept = entries.slice(0, HISTORY_LIMIT).map((e) => ({
    ...e,
    columns: e.columns.map((c) => (c.output.length > OUTPUT_LIMIT ? { ...c, output: `${c.output.slice(0, OUTPUT_LIMIT)}\n… (cut in the history)` } : c)),
  }));
  try {
    storage()?.setItem(HISTORY_KEY, JSON.stringify(kept));
  } catch {
    // Storage full or disabled: the history still holds for this session.
  }
  return kept;
}
