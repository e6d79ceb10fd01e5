/**
 * MedINST32 `bio` tasks (NCBI-disease, BC5CDR), stored by evaluation.py under
 * the misspelt key `label_leval_f1`: every `[B]`/`[I]`/`[O]` tag is pulled out
 * of target and prediction in order, the prediction's tags are padded with
 * 'N' or truncated to the target's count, all samples are pooled, and
 * scikit-learn macro-F1 is taken with `labels=sorted(set(pooled_targets))`.
 */
import { assertSameLength } from './aggregate';
import { sklearnMacroF1 } from './labelMacroF1';

const TAG = /\[B\]|\[I\]|\[O\]/g;

export function extractBioTags(s: string): string[] {
  const out: string[] = [];
  let i = s.indexOf('[');
  while (i >= 0 && i + 2 < s.length) {
    const c = s.charCodeAt(i + 1);
    if ((c === 66 || c === 73 || c === 79) && s.charCodeAt(i + 2) === 93) {
      out.push(c === 66 ? '[B]' : c === 73 ? '[I]' : '[O]');
      i = s.indexOf('[', i + 3);
    } else i = s.indexOf('[', i + 1);
  }
  return out;
}

/** Regex form of {@link extractBioTags} (evaluation.py's `re.findall`), kept for reference. */
export function extractBioTagsRegex(s: string): string[] {
  return s.match(TAG) ?? [];
}

export function alignBioTags(preds: readonly string[], golds: readonly string[]): { ts: string[]; ps: string[] } {
  assertSameLength(preds, golds);
  const ts: string[] = [];
  const ps: string[] = [];
  for (let i = 0; i < golds.length; i++) {
    const t = extractBioTags(golds[i]!);
    const p = extractBioTags(preds[i]!);
    for (let k = 0; k < t.length; k++) {
      ts.push(t[k]!);
      ps.push(k < p.length ? p[k]! : 'N');
    }
  }
  return { ts, ps };
}

/** Tag codes 0 = [B], 1 = [I], 2 = [O], written into `out`; returns the count. */
function scanTags(s: string, out: Uint8Array | null, limit: number): number {
  let n = 0;
  let i = s.indexOf('[');
  while (i >= 0 && i + 2 < s.length && n < limit) {
    const c = s.charCodeAt(i + 1);
    if ((c === 66 || c === 73 || c === 79) && s.charCodeAt(i + 2) === 93) {
      if (out !== null) out[n] = c === 66 ? 0 : c === 73 ? 1 : 2;
      n++;
      i = s.indexOf('[', i + 3);
    } else i = s.indexOf('[', i + 1);
  }
  return n;
}

let goldBuf = new Uint8Array(4096);
let predBuf = new Uint8Array(4096);

/**
 * Pooled macro-F1 over tags; 0 when no gold tag exists (scikit-learn would
 * fail). Same result as `sklearnMacroF1(alignBioTags(...))`, counted directly
 * (labels = the tags present in the pooled gold, in sorted order [B] < [I] < [O];
 * a padding 'N' is a miss for the gold tag).
 */
export function bioTagF1(preds: readonly string[], golds: readonly string[]): number {
  assertSameLength(preds, golds);
  const tp = [0, 0, 0];
  const tc = [0, 0, 0];
  const pc = [0, 0, 0];
  for (let i = 0; i < golds.length; i++) {
    const g = golds[i]!;
    const nMax = g.length >>> 1;
    if (goldBuf.length < nMax) goldBuf = new Uint8Array(nMax * 2);
    const nt = scanTags(g, goldBuf, nMax + 1);
    if (nt === 0) continue;
    if (predBuf.length < nt) predBuf = new Uint8Array(nt * 2);
    const np = scanTags(preds[i]!, predBuf, nt);
    for (let k = 0; k < nt; k++) {
      const t = goldBuf[k]!;
      tc[t]!++;
      if (k < np) {
        const p = predBuf[k]!;
        pc[p]!++;
        if (p === t) tp[t]!++;
      }
    }
  }
  let sum = 0;
  let labels = 0;
  for (let c = 0; c < 3; c++) {
    if (tc[c] === 0) continue; // not in sorted(set(gold)): ignored entirely
    labels++;
    sum += (2 * tp[c]!) / (tc[c]! + pc[c]!);
  }
  return labels === 0 ? 0 : sum / labels;
}

/** The straightforward form (align, pool, {@link sklearnMacroF1}); used by tests as a cross-check. */
export function bioTagF1Slow(preds: readonly string[], golds: readonly string[]): number {
  const { ts, ps } = alignBioTags(preds, golds);
  return sklearnMacroF1(ts, ps);
}
