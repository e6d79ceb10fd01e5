/** Renders chat messages with a model's chat wrapper into prompt tokens plus the wrapper's stop triggers. */
import type { ChatHistoryItem, ChatWrapper, LlamaModel, LlamaText, SpecializedChatWrapperTypeName, Token } from 'node-llama-cpp';
import { CHAT_TEMPLATE_NAMES, isJinjaChatTemplate } from '../../shared/models';
import type { ChatMessage } from './types';
import { loadedLlamaLib } from './llamaLib';

export interface RenderedChat {
  /** Prompt tokens without the leading BOS (LlamaCompletion prepends it). */
  tokens: Token[];
  stopTriggers: LlamaText[];
}

function isBuiltInName(name: string): name is SpecializedChatWrapperTypeName {
  return (loadedLlamaLib().specializedChatWrapperTypeNames as readonly string[]).includes(name);
}

/** A chat template override that cannot be used (unknown name, Jinja that does not render). */
export class ChatTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChatTemplateError';
  }
}

/**
 * The chat wrapper for a model: its own template (node-llama-cpp picks a specialized wrapper or runs
 * the file's Jinja), or an override — a built-in template's name, or Jinja text (a fine-tuned GGUF
 * often carries its base model's template, or none).
 */
export function chatWrapperFor(model: LlamaModel, override?: string): ChatWrapper {
  // A model exists, so node-llama-cpp is loaded.
  const { JinjaTemplateChatWrapper, resolveChatWrapper } = loadedLlamaLib();
  if (override === undefined) return resolveChatWrapper(model);
  if (isJinjaChatTemplate(override)) {
    try {
      return new JinjaTemplateChatWrapper({ template: override, tokenizer: model.tokenizer });
    } catch (err) {
      throw new ChatTemplateError(`the chat template override is not a usable Jinja template: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const name = override.trim();
  if (!isBuiltInName(name)) {
    throw new ChatTemplateError(`unknown chat template "${name}"; give Jinja template text or one of: ${CHAT_TEMPLATE_NAMES.join(', ')}`);
  }
  return resolveChatWrapper(model, { type: name });
}

export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m): ChatHistoryItem => {
    if (m.role === 'system') return { type: 'system', text: m.content };
    if (m.role === 'user') return { type: 'user', text: m.content };
    return { type: 'model', response: [m.content] };
  });
  // An empty model turn at the end asks the wrapper for the generation prompt.
  history.push({ type: 'model', response: [] });
  return history;
}

export function renderChat(model: LlamaModel, wrapper: ChatWrapper, messages: readonly ChatMessage[]): RenderedChat {
  if (messages.length === 0) throw new Error('messages must not be empty');
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') throw new Error('the last message must come from the user or the system, not the assistant');
  const state = wrapper.generateContextState({ chatHistory: toChatHistory(messages) });
  const tokens = state.contextText.tokenize(model.tokenizer);
  const bos = model.tokens.bos;
  if (bos !== null && model.tokens.shouldPrependBosToken) {
    while (tokens[0] === bos) tokens.shift();
  }
  return { tokens, stopTriggers: state.stopGenerationTriggers };
}

/**
 * How many tokens at the end of a rendered chat come after the last message's text: the end of
 * that turn and the generation prompt. Found by rendering again with that text empty and taking
 * the common suffix (a token or two more at the seam only protects a little more).
 */
export function generationTailLength(model: LlamaModel, wrapper: ChatWrapper, messages: readonly ChatMessage[], rendered: readonly Token[]): number {
  const last = messages[messages.length - 1];
  if (!last || last.content === '') return 0;
  const without = renderChat(model, wrapper, [...messages.slice(0, -1), { ...last, content: '' }]).tokens;
  let n = 0;
  while (n < without.length && n < rendered.length && without[without.length - 1 - n] === rendered[rendered.length - 1 - n]) n++;
  return n;
}
