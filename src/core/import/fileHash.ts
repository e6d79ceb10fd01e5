import crypto from 'node:crypto';
import fs from 'node:fs';

/** sha256 of an imported file: provenance, and how an unchanged re-import is recognised. */
export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
