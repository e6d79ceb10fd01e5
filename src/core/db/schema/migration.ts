/** The shape of one numbered schema migration; the list itself is in ../migrations.ts. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
