import { specializedChatWrapperTypeNames } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { CHAT_TEMPLATE_NAMES, isJinjaChatTemplate } from '../../src/shared/models';

describe('chat template names', () => {
  it('are the built-in templates of the installed node-llama-cpp', () => {
    // The shared list feeds the UI and the CLI help, which cannot import node-llama-cpp.
    expect([...CHAT_TEMPLATE_NAMES]).toEqual([...specializedChatWrapperTypeNames]);
  });

  it('tell Jinja text from a name by its tags', () => {
    expect(isJinjaChatTemplate('chatML')).toBe(false);
    expect(isJinjaChatTemplate('{{ messages[0].content }}')).toBe(true);
    expect(isJinjaChatTemplate('{% for m in messages %}{% endfor %}')).toBe(true);
  });
});
