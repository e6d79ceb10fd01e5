import { describe, expect, it } from 'vitest';
import { StopText } from '../../src/core/inference/stopText';

function run(stops: string[], pieces: string[]): { value: string; streamed: string; stopped: boolean } {
  const t = new StopText(stops);
  let streamed = '';
  for (const p of pieces) {
    if (t.push(p)) break;
    streamed += t.take();
  }
  streamed += t.take(true);
  return { value: t.value, streamed, stopped: t.hasStopped };
}

describe('StopText', () => {
  it('passes text through when there is no stop string', () => {
    expect(run([], [' The', ' answer', ' is', ' yes'])).toEqual({ value: ' The answer is yes', streamed: ' The answer is yes', stopped: false });
  });

  it('cuts before a stop string that arrives inside one piece', () => {
    expect(run(['\n\n'], [' yes', '.\n\nQuestion'])).toEqual({ value: ' yes.', streamed: ' yes.', stopped: true });
  });

  it('finds a stop string split across pieces and never streams its start', () => {
    const t = new StopText(['###']);
    t.push(' maybe #');
    expect(t.take()).toBe(' maybe ');
    t.push('#');
    expect(t.take()).toBe('');
    expect(t.push('# next')).toBe(true);
    expect(t.value).toBe(' maybe ');
    expect(t.take(true)).toBe('');
  });

  it('releases held-back text once it cannot become a stop string', () => {
    const t = new StopText(['</answer>']);
    t.push('a <');
    expect(t.take()).toBe('a ');
    t.push('b>');
    expect(t.take()).toBe('<b>');
  });

  it('cuts at the earliest of several stop strings', () => {
    expect(run(['END', '\n'], ['one\ntwo END'])).toMatchObject({ value: 'one', stopped: true });
  });

  it('reset rebuilds the text and applies the stop strings again', () => {
    const t = new StopText(['.']);
    t.push('abc');
    expect(t.take()).toBe('abc');
    t.reset('abc def. ghi');
    expect(t.value).toBe('abc def');
    expect(t.take(true)).toBe(' def');
  });
});
