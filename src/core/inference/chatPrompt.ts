/** Renders chat messages with a model's chat wrapper into prompt tokens plus the wrapper's stop triggers. */
import { resolveChatWrapper } from 'node-llama-cpp';
import type { ChatHistoryItem, ChatWrapper, LlamaModel, LlamaText, Token } from 'node-llama-cpp';
import type { ChatMessage } from './types';

export interface RenderedChat {
  /** Prompt tokens without the leading BOS (LlamaCompletion prepends it). */
  tokens: Token[];
  stopTriggers: LlamaText[];
}

export function chatWrapperFor(model: LlamaModel): ChatWrapper {
  return resolveChatWrapper(model);
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
