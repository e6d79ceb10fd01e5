/**
 * Reads benchmark answers into what a clinician sees: BIO-tagged tokens (`word [B] word [I] word [O]`,
 * typed `[B-Disease]` too) into entity spans, `[bracketed]` entities in running text, MedS-Bench's
 * `a, b, c.` entity lists, and label answers into labels. Lenient, as model outputs are: a token
 * without a tag is plain text, an `I` after `O` opens a span (conlleval's reading).
 */

export interface Segment {
  text: string;
  /** Set on an entity span: its type (null: untyped tags). */
  entity?: { type: string | null };
}

const TAG = /^\[([BIO])(?:-([^\]]+))?\]$/;
const STUCK = /^(.+?)\[([BIO])(?:-([^\]]+))?\]$/;

export interface BioToken {
  word: string;
  tag: 'B' | 'I' | 'O' | null;
  type: string | null;
}

export function parseBioTokens(text: string): BioToken[] {
  const out: BioToken[] = [];
  for (const piece of text.split(/\s+/).filter(Boolean)) {
    const tag = TAG.exec(piece);
    const last = out.at(-1);
    if (tag && last && last.tag === null) {
      last.tag = tag[1] as BioToken['tag'];
      last.type = tag[2] ?? null;
      continue;
    }
    const stuck = STUCK.exec(piece);
    if (stuck) out.push({ word: stuck[1]!, tag: stuck[2] as BioToken['tag'], type: stuck[3] ?? null });
    else if (!tag) out.push({ word: piece, tag: null, type: null });
  }
  return out;
}

/** True when the text carries BIO tags at all (a model may answer in prose instead). */
export function looksBio(text: string): boolean {
  return /\[[BIO](?:-[^\]]+)?\]/.test(text);
}

/** Tokens joined by single spaces, consecutive B/I tokens as one entity segment. */
export function bioSegments(text: string): Segment[] {
  const segs: Segment[] = [];
  let plain: string[] = [];
  let span: string[] = [];
  let spanType: string | null = null;
  const flushPlain = () => {
    if (plain.length) segs.push({ text: plain.join(' ') });
    plain = [];
  };
  const flushSpan = () => {
    if (span.length) segs.push({ text: span.join(' '), entity: { type: spanType } });
    span = [];
    spanType = null;
  };
  for (const t of parseBioTokens(text)) {
    const continues = t.tag === 'I' && span.length > 0 && (t.type === null || t.type === spanType);
    if (t.tag === 'B' || (t.tag === 'I' && !continues)) {
      flushSpan();
      flushPlain();
      span = [t.word];
      spanType = t.type;
    } else if (continues) span.push(t.word);
    else {
      flushSpan();
      plain.push(t.word);
    }
  }
  flushSpan();
  flushPlain();
  // Segments are joined by a space when shown: plain runs and spans alternate.
  return segs;
}

/** Running text with `[entity]` spans (MedINST32's entity tasks; nested brackets stay inside the outer span). */
export function bracketSegments(text: string): Segment[] {
  const segs: Segment[] = [];
  let depth = 0;
  let buf = '';
  for (const ch of text) {
    if (ch === '[') {
      if (depth === 0) {
        if (buf) segs.push({ text: buf });
        buf = '';
      } else buf += ch;
      depth++;
    } else if (ch === ']' && depth > 0) {
      depth--;
      if (depth === 0) {
        segs.push({ text: buf, entity: { type: null } });
        buf = '';
      } else buf += ch;
    } else buf += ch;
  }
  if (buf) segs.push({ text: depth > 0 ? `[${buf}` : buf });
  return segs;
}

const NO_ENTITY = /^there is no related en(?:e)?tity\.?$/i;

/** MedS-Bench NER answers: `a, b, c.`, or "there is no related enetity" (sic) for none. */
export function entityList(text: string): string[] {
  const t = text.trim();
  if (t === '' || NO_ENTITY.test(t.replace(/\s+/g, ' '))) return [];
  return t
    .replace(/\.$/, '')
    .split(/,\s*/)
    .map((e) => e.trim())
    .filter(Boolean);
}

/** Label answers: one label, or several joined by ", " (Hallmarks of Cancer); null when it reads as prose instead. */
export function labelList(text: string): string[] | null {
  const t = text.trim();
  if (t === '' || t.length > 160 || t.includes('\n')) return null;
  const parts = t.split(/,\s+/);
  if (parts.length > 1 && parts.every((p) => p.length <= 60 && !/[.?!]$/.test(p))) return parts;
  return [t];
}

/** The key an entity span is matched on between gold and prediction (type and folded text). */
export function entityKey(text: string, type: string | null): string {
  return `${type ?? ''}\u0000${text.toLowerCase().replace(/\s+/g, ' ').trim()}`;
}

/** The entity keys of an answer, as a multiset (key → count). */
export function entityKeys(segments: Segment[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of segments) if (s.entity) m.set(entityKey(s.text, s.entity.type), (m.get(entityKey(s.text, s.entity.type)) ?? 0) + 1);
  return m;
}
