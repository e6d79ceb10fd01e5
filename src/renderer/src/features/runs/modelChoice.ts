/**
 * A model or saved configuration from the library, as the new-run form's Model fields. A
 * configuration brings its base model, adapters with their scales and its load settings; a plain
 * model brings only its file (adapters are cleared, the other settings stay as typed).
 */
import { isJinjaChatTemplate, type ModelConfig, type ModelList, type ModelRecord } from '../../../../shared/models';
import { loadSettingsFields } from '../../lib/loadSettings';
import type { RunForm } from './runSpecForm';

export type ModelChoice = { kind: 'config'; config: ModelConfig } | { kind: 'model'; model: ModelRecord };

/** The select's value for a choice: stable across list refreshes. */
export function choiceKey(choice: ModelChoice): string {
  return choice.kind === 'config' ? `config:${choice.config.id}` : `model:${choice.model.id}`;
}

/** What the library offers a run: every configuration, then every model whose file is present. */
export function modelChoices(list: ModelList | null, configs: ModelConfig[] | null): ModelChoice[] {
  return [
    ...(configs ?? []).map((config): ModelChoice => ({ kind: 'config', config })),
    ...(list?.models ?? []).filter((m) => m.status === 'ok').map((model): ModelChoice => ({ kind: 'model', model })),
  ];
}

export function choiceLabel(choice: ModelChoice): string {
  if (choice.kind === 'model') return `${choice.model.name} (${choice.model.header.architecture})`;
  const { config } = choice;
  const adapters = config.adapters.map((a) => ` + ${a.name}${a.scale !== 1 ? ` ×${a.scale}` : ''}`).join('');
  return `${config.name}: ${config.modelName}${adapters}`;
}

export function formFromChoice(choice: ModelChoice): Partial<RunForm> {
  if (choice.kind === 'model') return { modelPath: choice.model.path, loraPath: '', loraScale: '1', extraLoras: [], configName: '' };
  const { config } = choice;
  const s = config.settings;
  const [first, ...rest] = config.adapters;
  const template = s.chatTemplate;
  return {
    modelPath: config.modelPath,
    loraPath: first?.path ?? '',
    loraScale: String(first?.scale ?? 1),
    extraLoras: rest.map((a) => ({ path: a.path, scale: a.scale })),
    configName: config.name,
    // The run form leaves automatic GPU layers empty.
    ...loadSettingsFields(s, ''),
    contextSize: s.contextSize !== undefined ? String(s.contextSize) : '',
    ...(template === undefined
      ? { chatTemplate: '', chatTemplateJinja: '' }
      : isJinjaChatTemplate(template)
        ? { chatTemplate: 'jinja', chatTemplateJinja: template }
        : { chatTemplate: template, chatTemplateJinja: '' }),
  };
}
