/**
 * Stable identities of benchmark items, shared by the compare workbench and annotations.
 *
 * Library row ids change when a changed file replaces its split, and a run keeps its own copy
 * of each item's input and gold, so neither row ids nor `run_items.item_id` can align runs or
 * key annotations. An item is instead named by where it sits in its benchmark — benchmark,
 * task and its position in the source file — and its content is fingerprinted separately, so
 * a re-import of an unchanged file keeps every key and a changed file can say which keyed
 * items no longer match (orphans) instead of silently re-attaching notes to other text.
 */
import crypto from 'node:crypto';

export interface ItemPlace {
  benchmark: string;
  task: string;
  /** The record's position in its source file (`items.idx`, `run_items.idx`); null when unknown. */
  index: number | null;
  /** Used only when `index` is null (e.g. a predictions file without row numbers). */
  input: string;
}

/** `benchmark/task#index`, or `benchmark/task#h:<hash of the input>` when the position is unknown. */
export function itemKey(place: ItemPlace): string {
  const where = `${place.benchmark}/${place.task}`;
  if (place.index !== null && Number.isInteger(place.index)) return `${where}#${place.index}`;
  return `${where}#h:${hash(place.input).slice(0, 16)}`;
}

/** A short digest of what a reviewer saw: the input and the gold answer(s) as stored (JSON). */
export function itemFingerprint(input: string, goldJson: string): string {
  return hash(`${input}\u0000${goldJson}`).slice(0, 32);
}

function hash(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}
