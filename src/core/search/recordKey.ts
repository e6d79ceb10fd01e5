/**
 * Which search hits are copies of one record. MedINST32 ships each test task twice (few-shot and
 * zero-shot files with the same inputs) and MedS-Bench holds some of the same records with their
 * parts in another order (`Context: …\nQuestion: …` against `Question: …\nContext: …`), so the key
 * is a fingerprint of the input's lines with any `Label:` prefix dropped, case and spacing folded,
 * and the lines sorted. Gold outputs are left out: the benchmarks word the same answer differently
 * ("yes" against "The right answer is yes").
 */
import crypto from 'node:crypto';

/** A leading field label such as `Question:` or `Context:` (a few words, then a colon). */
const LABEL = /^[\p{L}][\p{L}\p{N} _-]{0,40}:\s*/u;

export function recordKey(input: string): string {
  const lines = input
    .split(/\r?\n/)
    .map((line) => line.replace(LABEL, '').replace(/\s+/g, ' ').trim().toLowerCase())
    .filter((line) => line.length > 0)
    .sort();
  return crypto.createHash('sha1').update(lines.join('\n'), 'utf8').digest('hex').slice(0, 16);
}
