import type { ApiErrorData } from '../../../shared/errors';

interface ErrorNoteProps {
  error: ApiErrorData;
  onRetry?: () => void;
  testId?: string;
}

/** An error shown in the pane whose call failed, with the engine's own words. */
export function ErrorNote({ error, onRetry, testId }: ErrorNoteProps) {
  const details = error.details ? Object.entries(error.details) : [];
  return (
    <div className="error-note" role="alert" data-testid={testId}>
      <span className="error-code">{error.code}</span>
      <span className="error-message">{error.message}</span>
      {details.length > 0 && <span className="error-details">{details.map(([key, value]) => `${key}: ${value}`).join(' · ')}</span>}
      {error.code === 'unauthorized' && <span className="error-hint">Open the address printed by `medtask serve`; it carries the access token.</span>}
      {onRetry && (
        <button type="button" className="link-button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
