/**
 * Whether a LoRA adapter is paired with the base model it was made for: one check shared by the
 * core (a saved configuration's warnings, the CLI) and the UI (the configuration being edited).
 */
import type { ModelConfigWarning, ModelRecord } from './models';

type ModelLike = Pick<ModelRecord, 'id' | 'name' | 'header'>;
type AdapterLike = Pick<ModelRecord, 'id' | 'name' | 'header' | 'base'>;

/**
 * A warning when `adapter` records a different base than `model`: the base the user chose or the
 * library matched (`setAdapterBase`, the adapter's `general.base_model.0.name`), else the base its
 * metadata names. Shapes already fit (saving refuses adapters that do not), so this catches the
 * quiet case: a LoRA trained on one fine-tune loaded onto a sibling with the same shapes.
 * `nameOf` turns a library id into a display name.
 */
export function adapterBaseWarning(model: ModelLike, adapter: AdapterLike, nameOf: (id: number) => string | undefined): ModelConfigWarning | null {
  const link = adapter.base;
  if (link?.modelId != null && link.modelId !== model.id) {
    const base = nameOf(link.modelId) ?? `model ${link.modelId}`;
    const how = link.chosenBy === 'user' ? 'its base was set to' : 'it was matched to';
    return {
      adapterId: adapter.id,
      expectedBase: base,
      message: `Adapter “${adapter.name}” was made for “${base}” (${how} it), not “${model.name}”: its output on this model is unreliable.`,
    };
  }
  const hint = adapter.header.baseModelHint;
  if (link?.modelId == null && hint && hint !== model.name && hint !== model.header.name) {
    return {
      adapterId: adapter.id,
      expectedBase: hint,
      message: `Adapter “${adapter.name}” names “${hint}” as its base model in its file, not “${model.name}”: its output on this model is unreliable.`,
    };
  }
  return null;
}
