/** Hostile dataset cards (README front matter read during an import plan): bounded work, clear errors, no crash. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubConfigs, parseYaml } from '../../src/core/import/yaml';
import { planImport } from '../../src/core/import/plan';
import { tempDir } from '../helpers';

function billionLaughs(levels: number): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < levels; i++) {
    const name = String.fromCharCode(97 + i);
    lines.push(
      `${name}: &${name} [${Array(9)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(',')}]`,
    );
  }
  return lines.join('\n');
}

describe('hostile dataset cards', () => {
  it('bounds alias expansion (a billion-laughs card does not exhaust memory)', () => {
    expect(() => parseYaml(billionLaughs(10))).toThrow(/alias/i);
  });

  it('an import of a folder whose card is hostile fails with the README named, and nothing else happens', async () => {
    const dir = tempDir('medtask-card-');
    fs.writeFileSync(path.join(dir, 'README.md'), `---\n${billionLaughs(10)}\nconfigs:\n- config_name: A\n  data_files: a.json\n---\n`);
    fs.writeFileSync(path.join(dir, 'a.json'), '[]');
    await expect(planImport([dir])).rejects.toThrow(/README\.md.*not valid YAML/);
  });

  it('a front matter over 1 MiB is not parsed at all', () => {
    const big = `---\nconfigs:\n- config_name: A\n  data_files: a.json\npad: "${'x'.repeat(1_100_000)}"\n---\n`;
    expect(hubConfigs(big)).toEqual([]);
  });
});
