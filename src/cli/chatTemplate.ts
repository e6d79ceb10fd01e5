/** `--chat-template NAME|FILE`: a built-in template's name, or a file holding Jinja template text. */
import fs from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { CHAT_TEMPLATE_NAMES, isJinjaChatTemplate } from '../shared/models';

export const CHAT_TEMPLATE_HELP = `chat template override: a file of Jinja template text, or one of ${CHAT_TEMPLATE_NAMES.join(', ')}`;

export function chatTemplateArg(value: string): string {
  if ((CHAT_TEMPLATE_NAMES as readonly string[]).includes(value)) return value;
  let text: string;
  try {
    text = fs.readFileSync(value, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InvalidArgumentError(`"${value}" is neither a built-in chat template (${CHAT_TEMPLATE_NAMES.join(', ')}) nor a file`);
    throw new InvalidArgumentError(`cannot read chat template file ${value}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isJinjaChatTemplate(text)) throw new InvalidArgumentError(`${value} holds no Jinja tags ({{ }} or {% %}); a chat template file is Jinja text`);
  return text;
}
