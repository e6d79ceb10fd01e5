/**
 * How often each review tag was given to each compared run's outputs (all reviewers, all
 * sessions), so the Compare view shows what reviewers found beside what the metrics found.
 */
import { useEffect, useState } from 'react';
import type { AnnotationTagCount } from '../../../../shared/annotations';
import { getClient } from '../../client/current';

export interface ReviewTagCountsProps {
  runs: readonly { id: number; name: string }[];
}

export function ReviewTagCounts({ runs }: ReviewTagCountsProps) {
  const [counts, setCounts] = useState<AnnotationTagCount[] | null>(null);
  const key = runs.map((r) => r.id).join(',');
  useEffect(() => {
    let current = true;
    const runIds = key.split(',').map(Number);
    getClient()
      .annotationTagCounts({ runIds })
      .then((rows) => {
        if (current) setCounts(rows);
      })
      // Counts are an aside: a failure leaves the comparison as it is.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [key]);
  if (!counts || counts.length === 0) return null;
  const tags = [...new Set(counts.map((c) => c.tag))];
  const countOf = (runId: number, tag: string) => counts.find((c) => c.runId === runId && c.tag === tag)?.count ?? 0;
  return (
    <section className="review-tag-counts" data-testid="review-tag-counts" aria-label="Review tags per run">
      <table className="table">
        <caption>Review tags given to each run&rsquo;s outputs (all sessions)</caption>
        <thead>
          <tr>
            <th scope="col">Tag</th>
            {runs.map((r) => (
              <th scope="col" key={r.id}>
                {r.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tags.map((tag) => (
            <tr key={tag}>
              <th scope="row">{tag}</th>
              {runs.map((r) => (
                <td key={r.id} className="num">
                  {countOf(r.id, tag)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
