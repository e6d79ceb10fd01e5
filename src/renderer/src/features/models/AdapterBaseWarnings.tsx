/** Warnings that a LoRA adapter is paired with a base model it was not made for: a saved configuration's, or the setup being edited. */
import type { ModelConfigWarning } from '../../../../shared/models';
import { useModels } from './modelsStore';
import { pairingWarnings } from './pairingWarnings';

/** Shows warnings under a configuration or a model picker; nothing when there are none. */
export function BaseWarnings({ warnings }: { warnings: readonly ModelConfigWarning[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="base-warnings" data-testid="adapter-base-warnings">
      {warnings.map((w) => (
        <li key={w.adapterId} className="base-warning" data-testid="adapter-base-warning" data-adapter-id={w.adapterId}>
          <span aria-hidden="true">⚠ </span>
          {w.message} Choose “{w.expectedBase}” as the model, or set the adapter’s base under Models.
        </li>
      ))}
    </ul>
  );
}

/** For a model picker with adapters ticked: warns before the configuration is saved. */
export function PairingWarnings({ modelId, adapterIds }: { modelId: number; adapterIds: readonly number[] }) {
  const list = useModels((s) => s.list);
  return <BaseWarnings warnings={pairingWarnings(list, modelId, adapterIds)} />;
}
