/** Template identity: sha256 (hex) of the canonical JSON of the resolved template. */
import { createHash } from 'node:crypto';
import { canonicalJson, resolveTemplate } from './template';
import type { PromptTemplate } from './types';

export function templateHash(t: PromptTemplate): string {
  return createHash('sha256')
    .update(canonicalJson(resolveTemplate(t)), 'utf8')
    .digest('hex');
}
