import { describe, expect, it } from 'vitest';
import { StepBarrier } from '../../src/core/inference/stepBarrier';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('StepBarrier', () => {
  it('opens when every joined generation has arrived, in ascending order', async () => {
    const b = new StepBarrier();
    const released: number[] = [];
    for (let i = 0; i < 3; i++) b.join();
    const arrivals = [2, 0].map((id) => b.arrive(id).then(() => released.push(id)));
    await tick();
    expect(released).toEqual([]);
    await Promise.all([...arrivals, b.arrive(1).then(() => released.push(1))]);
    expect(released).toEqual([0, 1, 2]);
  });

  it('opens for the rest when one generation leaves', async () => {
    const b = new StepBarrier();
    b.join();
    b.join();
    let open = false;
    const waiting = b.arrive(0).then(() => (open = true));
    await tick();
    expect(open).toBe(false);
    b.leave();
    await waiting;
    expect(open).toBe(true);
    expect(b.generations).toBe(1);
  });

  it('lets a single generation through at once and refuses an unmatched leave', async () => {
    const b = new StepBarrier();
    b.join();
    await b.arrive(5);
    b.leave();
    expect(() => b.leave()).toThrow(/without join/);
  });

  it('holds a generation that joins mid-step until the others arrive', async () => {
    const b = new StepBarrier();
    b.join();
    b.join();
    const order: string[] = [];
    const first = b.arrive(1).then(() => order.push('a'));
    b.join(); // a third generation starts before the second has arrived
    const third = b.arrive(2).then(() => order.push('c'));
    await tick();
    expect(order).toEqual([]);
    await Promise.all([first, third, b.arrive(0).then(() => order.push('b'))]);
    expect(order).toEqual(['b', 'a', 'c']);
  });
});
