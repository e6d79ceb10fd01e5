/**
 * The way into review sessions from another view: "Review…" starts a session on the given runs
 * (the open run in the Runs view, the compared runs in Compare); "Sessions" lists them to resume.
 */
import { useView } from '../../app/viewStore';
import { useCompare } from '../compare/compareStore';
import { useReview } from './reviewStore';

export function ReviewButtons({ runIds }: { runIds: number[] }) {
  return (
    <>
      <button
        type="button"
        className="button"
        data-testid="review-open-start"
        onClick={() => useReview.getState().openStart(runIds)}
        title="Start an error-analysis session"
      >
        Review…
      </button>
      <button
        type="button"
        className="button"
        data-testid="review-open-sessions"
        onClick={() => {
          useReview.getState().closeSession();
          useView.getState().setView('review');
        }}
      >
        Review sessions
      </button>
    </>
  );
}

/** The Compare view's entry: a session on the runs picked there (A = first picked). */
export function ReviewFromCompare() {
  const picked = useCompare((s) => s.picked);
  return <ReviewButtons runIds={picked} />;
}
