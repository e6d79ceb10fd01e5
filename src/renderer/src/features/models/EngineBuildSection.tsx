/** The runtime panel's engine line and its one-time "Build for this CPU": the offer, progress with Cancel, the outcome. */
import { useEffect, useRef, useState } from 'react';
import type { EngineBuildState, EngineInfo } from '../../../../shared/models';
import { toErrorData, type ApiErrorData } from '../../../../shared/errors';
import { getClient } from '../../client/current';
import { ErrorNote } from '../../ui/ErrorNote';
import './engineBuild.css';

const PHASE: Record<EngineBuildState['phase'], string> = {
  starting: 'Starting the build…',
  clone: 'Unpacking the bundled llama.cpp source…',
  configure: 'Configuring (cmake)…',
  compile: 'Compiling',
  done: 'Finishing…',
};

function minutes(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

/** The build's last output lines, folded: useful when it fails, noise while it runs. */
function BuildLog({ tail, open }: { tail: string[]; open?: boolean }) {
  if (tail.length === 0) return null;
  return (
    <details className="engine-build-log" open={open}>
      <summary>Build output (last {tail.length} lines)</summary>
      <pre data-testid="engine-build-log">{tail.join('\n')}</pre>
    </details>
  );
}

export function EngineBuildSection() {
  const [info, setInfo] = useState<EngineInfo | null>(null);
  const [build, setBuild] = useState<EngineBuildState | null>(null);
  const [error, setError] = useState<ApiErrorData | null>(null);
  const [pending, setPending] = useState<'start' | 'cancel' | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const focusCancel = useRef(false);
  const startRef = useRef<HTMLButtonElement>(null);
  const wasRunning = useRef(false);
  /** Set when Cancel had focus (or was pressed): it disappears when the build ends. */
  const focusStart = useRef(false);
  /** Set when the build has ended under the keyboard: "Build again" takes focus once it can. */
  const landOnStart = useRef(false);

  const applyInfo = (next: EngineInfo): void => {
    setInfo(next);
    setBuild((b) => next.build ?? b);
    setError(null);
  };
  const applyError = (err: unknown): void => setError(toErrorData(err));
  const refresh = (): void => void getClient().engineInfo({}).then(applyInfo, applyError);

  useEffect(() => {
    const off = getClient().on('engineBuildProgress', (s) => {
      if (s.state !== 'running' && cancelRef.current !== null && document.activeElement === cancelRef.current) focusStart.current = true;
      setBuild(s);
      // The outcome changes the advice (a success asks for a restart): read it again once the build ends.
      if (s.state !== 'running') refresh();
    });
    getClient().engineInfo({}).then(applyInfo, applyError);
    return off;
    // Subscribed once per mount; the callbacks only set state.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    if (build?.state === 'running') {
      wasRunning.current = true;
      if (focusCancel.current) {
        focusCancel.current = false;
        cancelRef.current?.focus();
      }
      return;
    }
    // Cancel (or the whole progress block) went away under the keyboard: land on "Build again", not on the page.
    if (wasRunning.current) {
      wasRunning.current = false;
      if (focusStart.current) landOnStart.current = true;
      focusStart.current = false;
    }
  }, [build?.state]);

  // "Build again" can appear after the build ends (its offer waits for engineInfo) and stays disabled until the
  // cancel call returns: focus it on the first render where it is there and enabled.
  useEffect(() => {
    if (landOnStart.current && startRef.current !== null && !startRef.current.disabled) {
      landOnStart.current = false;
      startRef.current.focus();
    }
  });

  const start = async (): Promise<void> => {
    setPending('start');
    setError(null);
    try {
      focusCancel.current = true;
      setBuild(await getClient().buildEngine({}));
    } catch (err) {
      focusCancel.current = false;
      setError(toErrorData(err));
    } finally {
      setPending(null);
    }
  };

  const cancel = async (): Promise<void> => {
    setPending('cancel');
    focusStart.current = true;
    try {
      await getClient().cancelEngineBuild({});
    } catch (err) {
      setError(toErrorData(err));
    } finally {
      setPending(null);
    }
  };

  const binary = info?.binary;
  const running = build?.state === 'running';
  const ended = build && !running ? build : null;
  // A build that cannot start here (no cmake, a read-only install) is not offered: the advice says why and what to do.
  const offer = binary?.buildRecommended === true && !running && info?.restartNeeded === false && !info.cannotBuild;
  const pct = build?.fraction === null || build?.fraction === undefined ? null : Math.floor(build.fraction * 100);

  return (
    <section className="engine-build" aria-label="Engine" data-testid="engine-section">
      <dl className="facts runtime-facts">
        <div className="fact">
          <dt>Engine</dt>
          <dd
            data-testid="engine-binary"
            data-build-type={binary?.buildType ?? ''}
            data-recommended={binary ? String(binary.buildRecommended) : ''}
            title={binary ? `CPU features: ${binary.cpuFeatures.join(', ') || 'not reported'}` : undefined}
          >
            {binary ? binary.summary : <span className="muted">asking the engine…</span>}
          </dd>
        </div>
      </dl>
      {error && <ErrorNote error={error} onRetry={refresh} testId="engine-error" />}
      {info && !offer && !running && !ended && (
        <p className="pane-note" data-testid="engine-advice">
          {info.advice}
        </p>
      )}
      {ended && (
        <div
          className={`engine-build-outcome ${ended.state}`}
          data-testid="engine-build-outcome"
          data-state={ended.state}
          role={ended.state === 'failed' ? 'alert' : 'status'}
        >
          {ended.state === 'succeeded' ? (
            <p>
              Built for this CPU in {minutes(ended.seconds ?? 0)}. <strong>Restart MedTask to use it</strong>; until then the bundled engine runs, and models
              loaded now stay on it.
            </p>
          ) : (
            <p>{ended.message}</p>
          )}
          <BuildLog tail={ended.tail} open={ended.state === 'failed'} />
        </div>
      )}
      {offer && (
        <div className="engine-build-offer" data-testid="engine-build-offer">
          <p>{info.advice}</p>
          <button ref={startRef} type="button" className="button" data-testid="engine-build-start" disabled={pending !== null} onClick={() => void start()}>
            {pending === 'start' ? 'Starting…' : ended ? 'Build again' : 'Build for this CPU'}
          </button>
        </div>
      )}
      {running && build && (
        <div className="engine-build-progress" data-testid="engine-build-progress" data-phase={build.phase}>
          <span role="status">{PHASE[build.phase]}</span>
          <progress
            max={100}
            value={pct ?? undefined}
            aria-label="Engine build progress"
            aria-valuetext={pct === null ? PHASE[build.phase] : `${pct}% compiled`}
          />
          {pct !== null && <span className="engine-build-pct">{pct}%</span>}
          <button
            ref={cancelRef}
            type="button"
            className="mini-button"
            data-testid="engine-build-cancel"
            disabled={pending === 'cancel'}
            onClick={() => void cancel()}
          >
            {pending === 'cancel' ? 'Cancelling…' : 'Cancel'}
          </button>
          <p className="muted engine-build-note">The bundled engine keeps running meanwhile; a cancelled or failed build leaves it in place.</p>
          <BuildLog tail={build.tail} />
        </div>
      )}
    </section>
  );
}
