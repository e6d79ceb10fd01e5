import { formatBytes } from '../../lib/format';
import { baseName, formatContext, formatMemory, formatMs, formatParams } from './modelFormat';
import { useModels } from './modelsStore';
import { ErrorNote } from '../../ui/ErrorNote';
import { LoadSettingsFields } from '../../ui/LoadSettingsFields';
import { Pane } from '../../ui/Pane';
import { EngineBuildSection } from './EngineBuildSection';

/** What the engine holds: backend, devices, memory, loaded models; and the settings every Load uses. */
export function RuntimePanel() {
  const runtime = useModels((s) => s.runtime);
  const error = useModels((s) => s.runtimeError);
  const busy = useModels((s) => s.runtimeBusy);
  const form = useModels((s) => s.loadForm);
  const formErrors = useModels((s) => s.loadFormErrors);
  const unloading = useModels((s) => s.unloading);
  const unloadErrors = useModels((s) => s.unloadErrors);
  const models = useModels((s) => s.list?.models);
  const names = new Map((models ?? []).map((m) => [m.path, m.name]));
  const { refreshRuntime, setLoadForm, unload } = useModels.getState();

  const actions = (
    <span className="pane-actions">
      <button type="button" className="mini-button" data-testid="runtime-refresh" disabled={busy} onClick={() => void refreshRuntime()}>
        {busy ? 'Refreshing…' : 'Refresh'}
      </button>
    </span>
  );

  return (
    <Pane title="Runtime" label="Runtime" className="runtime-pane" actions={actions}>
      <div className="runtime-body" data-testid="runtime-info">
        {error && <ErrorNote error={error} onRetry={() => void refreshRuntime()} testId="runtime-error" />}
        {runtime === null ? (
          !error && <p className="pane-note">Asking the engine…</p>
        ) : (
          <dl className="facts runtime-facts">
            <div className="fact">
              <dt>Backend</dt>
              <dd data-testid="runtime-backend" data-backend={runtime.backend}>
                {runtime.backend}
                {runtime.llamaCppRelease && <span className="muted"> · llama.cpp {runtime.llamaCppRelease}</span>}
                {!runtime.supportsGpuOffloading && <span className="muted"> · no GPU offloading</span>}
              </dd>
            </div>
            <div className="fact">
              <dt>Devices</dt>
              <dd data-testid="runtime-devices">
                {runtime.deviceNames.length > 0 ? runtime.deviceNames.join(', ') : <span className="muted">none reported</span>}
              </dd>
            </div>
            <div className="fact">
              <dt>RAM</dt>
              <dd data-testid="runtime-ram">{formatMemory(runtime.ram)}</dd>
            </div>
            <div className="fact">
              <dt>VRAM</dt>
              <dd data-testid="runtime-vram">{formatMemory(runtime.vram)}</dd>
            </div>
          </dl>
        )}
        <EngineBuildSection />
        <LoadSettingsFields
          form={form}
          errors={formErrors}
          onChange={setLoadForm}
          hint="Load uses GPU layers, threads and weights; the playground uses batch and flash attention too, and loads a model not yet loaded with weights on auto"
        />
        <div className="section-label">Loaded models</div>
        {runtime && runtime.loaded.length === 0 && (
          <p className="pane-note" data-testid="runtime-loaded-empty">
            Nothing loaded. Load on a model (or <kbd>l</kbd> in the list) loads it; generating loads it too.
          </p>
        )}
        {runtime && runtime.loaded.length > 0 && (
          <ul className="runtime-loaded" data-testid="runtime-loaded">
            {runtime.loaded.map((m) => (
              <li key={`${m.path}-${m.threads ?? 0}`} className="runtime-loaded-row" data-testid="runtime-loaded-model" data-path={m.path}>
                <span className="runtime-loaded-name" title={m.path}>
                  {names.get(m.path) ?? baseName(m.path)}
                </span>
                <span className="muted">
                  {m.architecture} · {formatParams(m.parameterCount)} · {formatBytes(m.sizeBytes)} · ctx {formatContext(m.trainContextLength)} · GPU layers{' '}
                  {m.gpuLayers} · threads {m.threads ?? 'auto'}
                  <span data-testid="runtime-weights" title={m.mmapReason}>
                    {m.mmap ? ' · memory-mapped' : ' · in RAM'}
                  </span>{' '}
                  · {formatMs(m.loadMs)}
                </span>
                {m.threadsReason && (
                  // Threads left empty: how many the engine picked and why (free physical cores, model size).
                  <span className="muted runtime-threads-reason" data-testid="runtime-threads-reason">
                    threads {m.threads} ({m.threadsReason})
                  </span>
                )}
                <button
                  type="button"
                  className="mini-button"
                  data-testid="model-unload"
                  disabled={unloading[m.path] === true}
                  onClick={() => void unload(m.path)}
                >
                  {unloading[m.path] ? 'Unloading…' : 'Unload'}
                </button>
                {unloadErrors[m.path] && <ErrorNote error={unloadErrors[m.path]!} testId="model-unload-error" />}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Pane>
  );
}
