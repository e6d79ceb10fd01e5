/**
 * The late-answer guard every store uses. Calls answer in any order, so a store asks the guard
 * before it writes an answer: one for a request that has since been superseded (a newer query,
 * another task opened, the pane closed) is dropped instead of overwriting newer state.
 */
export interface LateAnswerGuard {
  /** Starts a request that supersedes every earlier one; the check is true while it is still the latest. */
  start(): () => boolean;
  /** A check for a request that joins the present one (another page of the same list) without superseding it. */
  current(): () => boolean;
  /** Makes every outstanding answer late: what they were for was closed or changed. */
  invalidate(): void;
}

export function lateAnswerGuard(): LateAnswerGuard {
  let generation = 0;
  const checkFor = (mine: number) => () => mine === generation;
  return {
    start: () => checkFor(++generation),
    current: () => checkFor(generation),
    invalidate: () => {
      generation += 1;
    },
  };
}
