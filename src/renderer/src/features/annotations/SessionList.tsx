/**
 * The review sessions of this library with their progress (resume where the reviewer stopped),
 * and the tag taxonomy editor: rename, colour, hotkey, add, merge.
 */
import { useState } from 'react';
import type { AnnotationTag } from '../../../../shared/annotations';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { ErrorNote } from '../../ui/ErrorNote';
import { useReview } from './reviewStore';

export function SessionList() {
  const sessions = useReview((s) => s.sessions);
  return (
    <>
      <section className="review-sessions" aria-label="Sessions">
        <h2>Sessions</h2>
        {sessions === null ? (
          <p className="muted">Loading…</p>
        ) : sessions.length === 0 ? (
          <p className="muted">No sessions yet: open a run in the Runs view and choose Review….</p>
        ) : (
          <table className="review-table" data-testid="review-session-table">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Reviewer</th>
                <th scope="col">Scope</th>
                <th scope="col">Progress</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Open</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} data-testid={`review-session-${s.id}`}>
                  <td>{s.name}</td>
                  <td>{s.reviewer}</td>
                  <td>
                    {s.scope.kind}
                    {s.blind ? (s.revealed ? ' · blind (revealed)' : ' · blind') : ''}
                  </td>
                  <td>
                    {s.reviewed} / {s.total}
                  </td>
                  <td>{s.status}</td>
                  <td>
                    <button type="button" className="button" data-testid={`review-resume-${s.id}`} onClick={() => void useReview.getState().openSession(s.id)}>
                      {s.status === 'open' ? 'Resume' : 'Open'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <TagEditor />
    </>
  );
}

function TagRow({ tag, others, onError }: { tag: AnnotationTag; others: AnnotationTag[]; onError: (e: ApiErrorData | null) => void }) {
  const [name, setName] = useState(tag.name);
  const [color, setColor] = useState(tag.color);
  const [hotkey, setHotkey] = useState(tag.hotkey === null ? '' : String(tag.hotkey));
  const [into, setInto] = useState('');
  const reload = () => useReview.getState().loadTags();
  const save = async () => {
    try {
      onError(null);
      await getClient().saveAnnotationTag({ id: tag.id, name, color, hotkey: hotkey ? Number(hotkey) : null });
      await reload();
    } catch (err) {
      onError(toErrorData(err));
    }
  };
  const merge = async () => {
    if (!into) return;
    try {
      onError(null);
      await getClient().mergeAnnotationTags({ fromId: tag.id, intoId: Number(into) });
      await reload();
    } catch (err) {
      onError(toErrorData(err));
    }
  };
  return (
    <tr data-testid={`review-tagrow-${tag.id}`}>
      <td>
        <input aria-label={`Name of tag ${tag.name}`} value={name} onChange={(e) => setName(e.target.value)} />
      </td>
      <td>
        <input aria-label={`Colour of tag ${tag.name}`} type="color" value={color} onChange={(e) => setColor(e.target.value)} />
      </td>
      <td>
        <select aria-label={`Hotkey of tag ${tag.name}`} value={hotkey} onChange={(e) => setHotkey(e.target.value)}>
          <option value="">none</option>
          {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </td>
      <td>{tag.uses}</td>
      <td>
        <button type="button" className="button" onClick={() => void save()}>
          Save
        </button>
      </td>
      <td>
        <select aria-label={`Merge tag ${tag.name} into`} value={into} onChange={(e) => setInto(e.target.value)}>
          <option value="">merge into…</option>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>{' '}
        <button type="button" className="button" disabled={!into} onClick={() => void merge()}>
          Merge
        </button>
      </td>
    </tr>
  );
}

function TagEditor() {
  const tags = useReview((s) => s.tags);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [name, setName] = useState('');
  const add = async () => {
    try {
      setError(null);
      await getClient().saveAnnotationTag({ name, color: '#607080', hotkey: null });
      setName('');
      await useReview.getState().loadTags();
    } catch (err) {
      setError(toErrorData(err));
    }
  };
  return (
    <section className="review-sessions" aria-label="Tags">
      <h2>Tags</h2>
      {error && <ErrorNote error={error} testId="review-tag-error" />}
      <table className="review-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Colour</th>
            <th scope="col">Key</th>
            <th scope="col">Uses</th>
            <th scope="col">
              <span className="visually-hidden">Save</span>
            </th>
            <th scope="col">Merge</th>
          </tr>
        </thead>
        <tbody>
          {tags.map((t) => (
            <TagRow key={`${t.id}-${t.name}-${t.color}-${t.hotkey}`} tag={t} others={tags.filter((o) => o.id !== t.id)} onError={setError} />
          ))}
        </tbody>
      </table>
      <form
        className="review-add-tag"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label>
          New tag <input value={name} data-testid="review-new-tag" onChange={(e) => setName(e.target.value)} />
        </label>{' '}
        <button type="submit" className="button" disabled={!name.trim()}>
          Add
        </button>
      </form>
    </section>
  );
}
