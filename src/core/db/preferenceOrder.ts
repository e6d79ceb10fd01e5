/**
 * Owns turning a shared preference order (src/shared/enums.ts: which split, which config a run
 * or a view takes first) into an SQL ORDER BY term, so the engine's queries and the views'
 * sorting use the one list instead of each spelling it out.
 */
export function preferenceOrderSql(column: string, order: readonly string[]): string {
  // The values are the shared enums' literals (no quotes in them); the column is ours.
  const whens = order.map((v, i) => `WHEN '${v.replace(/'/g, "''")}' THEN ${i}`).join(' ');
  return `CASE ${column} ${whens} ELSE ${order.length} END`;
}
