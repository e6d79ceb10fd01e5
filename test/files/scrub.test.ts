/**
 * Scrubbing quoted file contents out of error messages: the messages real parsers produce
 * (node-llama-cpp's GGUF magic check, JSON.parse) on a file that is not what it claims.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { scrubError, scrubMessage } from '../../src/core/files/scrub';
import { ApiError } from '../../src/shared/errors';
import { tempDir } from '../helpers';

const SECRET = 'root:x:0:0:root:/root:/bin/bash';

describe('scrubMessage', () => {
  it("hides the bytes node-llama-cpp's GGUF reader quotes from a file that is not GGUF", async () => {
    const dir = tempDir('medtask-scrub-');
    try {
      const file = path.join(dir, 'passwd.gguf');
      fs.writeFileSync(file, `${SECRET}\n`);
      const err = await readGgufFileInfo(file).then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toContain('root'); // what the parser says on its own
      const clean = scrubMessage(err!.message, [file]);
      expect(clean).not.toContain('root');
      expect(clean).toMatch(/GGUF/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("hides JSON.parse's snippet, keeps the caller's own paths and ordinary apostrophes", () => {
    let message = '';
    try {
      JSON.parse(SECRET);
    } catch (e) {
      message = `/data/x.json: ${(e as Error).message}`;
    }
    expect(message).toContain('root:x');
    expect(scrubMessage(message)).not.toMatch(/root|'r'/);
    expect(scrubMessage('no model named "my model" here', ['my model'])).toBe('no model named "my model" here');
    expect(scrubMessage("the engine can't read it")).toBe("the engine can't read it");
    expect(scrubMessage('bad value "abc" and "def"')).toBe('bad value "…" and "…"');
    // A quote left open carries bytes to the end of the message.
    expect(scrubMessage('got "root:x:0 and more')).toBe('got "…"');
    expect(scrubMessage('bytes <Buffer 72 6f 6f 74> and 0x726f6f74aa')).toBe('bytes "…" and "…"');
    expect(scrubMessage('x'.repeat(5000)).length).toBeLessThanOrEqual(601);
  });

  it('keeps an ApiError its code and details, and an Error its frames', () => {
    const api = scrubError(new ApiError('invalid_input', 'got "secret"', { file: '/a' })) as ApiError;
    expect(api).toMatchObject({ code: 'invalid_input', message: 'got "…"', details: { file: '/a' } });
    const plain = scrubError(new TypeError('got "secret"')) as Error;
    expect(plain.name).toBe('TypeError');
    expect(plain.stack).not.toContain('secret');
    expect(plain.stack).toContain('scrub.test.ts');
  });
});
