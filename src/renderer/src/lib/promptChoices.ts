/**
 * The chat template and long-prompt choices the playground and the new-run dialog both offer,
 * and how a choice turns into the setting the engine takes.
 */
import { CHAT_TEMPLATE_NAMES, isJinjaChatTemplate, type TruncationPolicy } from '../../../shared/models';

/** '' is the model's own template and 'jinja' the text typed beside the choice. */
export const CHAT_TEMPLATE_CHOICES: readonly { value: string; label: string }[] = [
  { value: '', label: 'the model’s own' },
  ...CHAT_TEMPLATE_NAMES.map((n) => ({ value: n, label: n })),
  { value: 'jinja', label: 'custom Jinja…' },
];

/** The policies that cut a prompt; each form names 'error' in its own words. */
export const CUT_CHOICES: readonly { value: Exclude<TruncationPolicy, 'error'>; label: string }[] = [
  { value: 'keep-start', label: 'cut the end' },
  { value: 'keep-end', label: 'cut the start' },
  { value: 'keep-both', label: 'cut the middle' },
];

/** The chatTemplate setting for a choice: undefined for the model's own, null for Jinja without a tag. */
export function chatTemplateSetting(choice: string, jinja: string): string | undefined | null {
  if (choice === 'jinja') return isJinjaChatTemplate(jinja) ? jinja : null;
  return choice === '' ? undefined : choice;
}
