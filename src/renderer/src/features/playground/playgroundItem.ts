/**
 * A benchmark item in the Playground: where it came from, its gold, and how a rendered prompt (a
 * run's chat messages or raw text) becomes the form's system message, few-shot turns and prompt.
 */
import type { SplitName, TaskConfig } from '../../../../shared/domain';
import type { PromptPreview, PromptTemplateSpec } from '../../../../shared/runs';
import type { PlaygroundForm, Turn } from './playgroundRequest';

export type Strategy = PromptTemplateSpec['strategy'];

/** The library item a prompt is rendered from (so strategy and shots can change it again). */
export interface ItemRef {
  itemId: number;
  taskId: number;
  config: TaskConfig;
  split: SplitName;
  index: number;
}

export interface PlaygroundItem {
  /** "MedINST32 / PubMedQA-labeled · few-shot · test · #3" */
  label: string;
  /** Where the prompt came from, said beside it. */
  source: string;
  gold: string[];
  /** Null for a prompt taken as a run sent it (Compare): it is shown as recorded, not re-rendered. */
  ref: ItemRef | null;
  strategy: Strategy;
  /** Shots (k) as typed; '' the strategy's default. */
  shots: string;
  /** The hash of the template the prompt was rendered with (a run with this template sends the same prompt). */
  templateHash: string | null;
}

export type RenderedPrompt = PromptPreview['prompt'];

/** The strategy a run of this benchmark uses by default: its own reference prompt. */
export function defaultStrategy(benchmark: string): Strategy {
  return /meds/i.test(benchmark) ? 'meds-bench' : 'medinst32';
}

/** The form fields holding a rendered prompt: system messages joined, the last user message as the prompt, the rest as turns. */
export function promptFields(prompt: RenderedPrompt): Pick<PlaygroundForm, 'chat' | 'system' | 'turns' | 'prompt'> {
  if ('text' in prompt) return { chat: false, system: '', turns: [], prompt: prompt.text };
  const system = prompt.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const rest = prompt.messages.filter((m) => m.role !== 'system') as Turn[];
  const lastUser = rest.map((m) => m.role).lastIndexOf('user');
  const last = lastUser >= 0 ? rest[lastUser]! : null;
  return {
    chat: true,
    system: system.join('\n\n'),
    turns: lastUser >= 0 ? rest.filter((_, i) => i !== lastUser) : rest,
    prompt: last?.content ?? '',
  };
}

/**
 * A run's recorded prompt (Compare's `promptMessages`, the runner's `{ messages }` or `{ text }`; a bare
 * message list or string is taken too), or null when it is none of these (imported predictions record none).
 */
export function recordedPrompt(recorded: unknown): RenderedPrompt | null {
  if (typeof recorded === 'string') return { text: recorded };
  if (typeof recorded === 'object' && recorded !== null && !Array.isArray(recorded)) {
    const r = recorded as { text?: unknown; messages?: unknown };
    if (typeof r.text === 'string') return { text: r.text };
    return recordedPrompt(r.messages ?? null);
  }
  const messages = recorded;
  if (!Array.isArray(messages)) return null;
  const out: { role: 'system' | 'user' | 'assistant'; content: string }[] = [];
  for (const m of messages as unknown[]) {
    if (typeof m !== 'object' || m === null) return null;
    const { role, content } = m as { role?: unknown; content?: unknown };
    if ((role !== 'system' && role !== 'user' && role !== 'assistant') || typeof content !== 'string') return null;
    out.push({ role, content });
  }
  return out.length > 0 ? { messages: out } : null;
}
