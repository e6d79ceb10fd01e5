/** The compare workbench's calls, spread into the core's handler table (src/core/service.ts). */
import type { CallArgs } from '../../shared/contract';
import type { CompareCallResults } from '../../shared/compare';
import type { Db } from '../db/open';
import { compareRuns } from './compareRuns';
import { compareStats } from './compareStats';
import { getCompareItem } from './compareItem';
import { leaderboard } from './leaderboard';
import { withReviews } from './reviews';

export function compareHandlers(db: Db): { [N in keyof CompareCallResults]: (args: CallArgs<N>) => CompareCallResults[N] } {
  return {
    compareRuns: (args) => withReviews(db, compareRuns(db, args)),
    compareStats: (args) => compareStats(db, args),
    getCompareItem: (args) => getCompareItem(db, args),
    leaderboard: (args) => leaderboard(db, args),
  };
}
