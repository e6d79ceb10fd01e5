/**
 * A comparison session's items come from the compare workbench itself (src/core/compare): its
 * alignment, its right/wrong rule and the shared row filters (src/shared/compare.ts), so a
 * session started from a Compare view filter holds exactly the rows that view shows, in order.
 */
import { defaultFilter, filterRows, rowRight, type CompareFilter as ViewFilter, type CompareResult, type CompareRow } from '../../shared/compare';
import type { CompareFilter, SessionScope } from '../../shared/annotations';
import type { Db } from '../db/open';
import { alignRuns } from '../compare/align';
import { compareRuns } from '../compare/compareRuns';
import { withReviews } from '../compare/reviews';
import { BadInputError } from '../errors';

type ComparisonScope = Extract<SessionScope, { kind: 'comparison' }>;

function checkView(view: ViewFilter, runs: number): void {
  const bad = (field: string, v: number) => {
    if (v >= runs) throw new BadInputError(`scope.view.${field}: run ${v} is not one of the ${runs} compared runs (0-based)`, { field: `scope.view.${field}` });
  };
  bad('a', view.a);
  bad('b', view.b);
  view.ranges.forEach((r, i) => bad(`ranges[${i}].run`, r.run));
  if (view.review?.run !== null && view.review?.run !== undefined) bad('review.run', view.review.run);
}

/** The session's own A/B words (A = first run, B = second) by the compare rule of right and wrong. */
function keepsLegacy(res: CompareResult, row: CompareRow, filter: CompareFilter, threshold: number): boolean {
  if (filter === 'all') return true;
  const right = res.runs.map((_, r) => rowRight(res, row, r, threshold));
  switch (filter) {
    case 'a-right-b-wrong':
      return right[0] === true && right[1] === false;
    case 'a-wrong-b-right':
      return right[0] === false && right[1] === true;
    case 'both-right':
      return right[0] === true && right[1] === true;
    case 'both-wrong':
      return right[0] === false && right[1] === false;
    case 'any-wrong':
      return right.some((r) => r === false);
  }
  return true;
}

/** The rows (as item key and each run's ord) a comparison scope holds, in the Compare view's order. */
export function comparisonItems(db: Db, scope: ComparisonScope): { key: string; ords: number[] }[] {
  const res = withReviews(db, compareRuns(db, { runIds: scope.runIds, ...(scope.search ? { search: scope.search } : {}) }));
  const view = scope.view ?? defaultFilter(scope.runIds.length, res.baseline);
  checkView(view, scope.runIds.length);
  const al = alignRuns(db, { runIds: scope.runIds });
  const ords = new Map<string, number[]>();
  for (const g of al.groups)
    g.keys.forEach((k, i) =>
      ords.set(
        k,
        g.ords.map((o) => o[i]!),
      ),
    );
  return filterRows(res, view)
    .indexes.map((i) => res.rows[i]!)
    .filter((row) => keepsLegacy(res, row, scope.filter, view.threshold))
    .map((row) => ({ key: row.key, ords: ords.get(row.key)! }));
}
