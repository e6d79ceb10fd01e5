/**
 * The Compare view's store against a real core: a comparison larger than the first page draws the
 * first rows at once (no counts yet: they would be of those rows alone), then the whole set with
 * its counts; a small one asks once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedtaskCore } from '../../src/core/service';
import type { CallInput } from '../../src/shared/contract';
import { setClient } from '../../src/renderer/src/client/current';
import { FIRST_ROWS, useCompare } from '../../src/renderer/src/features/compare/compareStore';
import { coreClient } from '../renderer/coreClient';
import { compareLibrary, writeRun } from './fixtures';

let core: MedtaskCore;
let big: number[] = [];
let small: number[] = [];
const asked: CallInput<'compareRuns'>[] = [];

beforeAll(async () => {
  const lib = await compareLibrary();
  core = lib.core;
  const items = FIRST_ROWS + 50;
  big = [writeRun(core.db, 'A', [lib.pubmedqa], items, (_t, i) => i % 2 === 0), writeRun(core.db, 'B', [lib.pubmedqa], items, (_t, i) => i % 3 === 0)];
  small = [writeRun(core.db, 'C', [lib.pubmedqa], 10, () => true), writeRun(core.db, 'D', [lib.pubmedqa], 10, () => false)];
  const client = coreClient(core);
  setClient({
    ...client,
    compareRuns: (input) => {
      asked.push(input);
      return client.compareRuns(input);
    },
  });
});

afterAll(() => {
  setClient(null);
  core?.close();
});

describe('compare store', () => {
  it('draws the first rows, then the whole set with its counts', async () => {
    const seen: { rows: number; total: number; counts: boolean; partial: boolean }[] = [];
    const stop = useCompare.subscribe((s) => {
      if (s.result) seen.push({ rows: s.result.rows.length, total: s.result.totalRows, counts: s.counts !== null, partial: s.partial });
    });
    asked.length = 0;
    useCompare.getState().setPicked(big);
    await useCompare.getState().compare();
    stop();
    expect(asked.map((a) => a.limit)).toEqual([FIRST_ROWS, undefined]);
    expect(seen[0]).toEqual({ rows: FIRST_ROWS, total: FIRST_ROWS + 50, counts: false, partial: true });
    const s = useCompare.getState();
    expect(s.partial).toBe(false);
    expect(s.loading).toBe(false);
    expect(s.result!.rows).toHaveLength(FIRST_ROWS + 50);
    expect(s.order).toHaveLength(FIRST_ROWS + 50);
    expect(s.counts).toMatchObject({ shown: FIRST_ROWS + 50, total: FIRST_ROWS + 50 });
  });

  it('a filter chosen while the rest loads applies to the whole set', async () => {
    asked.length = 0;
    useCompare.getState().setPicked(big);
    // The first page lands (partial), and the user filters before the rest arrives.
    let filtered = false;
    const stop = useCompare.subscribe((st) => {
      if (st.partial && !filtered) {
        filtered = true;
        useCompare.getState().setFilter({ agreement: 'differ' });
      }
    });
    await useCompare.getState().compare();
    stop();
    expect(filtered).toBe(true);
    const s = useCompare.getState();
    expect(s.filter.agreement).toBe('differ');
    // A and B answer differently where exactly one of them is right (index even xor divisible by 3).
    const differ = s.result!.rows.filter((row) => (row.index! % 2 === 0) !== (row.index! % 3 === 0)).length;
    expect(differ).toBeGreaterThan(0);
    expect(s.counts!.shown).toBe(differ);
    expect(s.order).toHaveLength(differ);
  });

  it('a comparison within the first page is asked for once', async () => {
    asked.length = 0;
    useCompare.getState().setPicked(small);
    await useCompare.getState().compare();
    expect(asked.map((a) => a.limit)).toEqual([FIRST_ROWS]);
    expect(useCompare.getState().partial).toBe(false);
    expect(useCompare.getState().counts).toMatchObject({ shown: 10, total: 10 });
  });
});
