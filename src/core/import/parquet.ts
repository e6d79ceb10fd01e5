/**
 * Parquet reading through hyparquet, one row group at a time (never the whole file).
 */
import { open, stat, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { checkAbort, importError, type ReadOptions } from './bytes';

export interface ParquetInfo {
  file: string;
  numRows: number;
  columns: string[];
  rowGroups: { rows: number; bytes: number }[];
  size: number;
}

async function fileBuffer(file: string): Promise<{ buf: AsyncBuffer; handle: FileHandle }> {
  const { size } = await stat(file);
  const handle = await open(file, 'r');
  const buf: AsyncBuffer = {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = end === undefined ? size : Math.min(end, size);
      const len = Math.max(0, stop - start);
      const ab = new ArrayBuffer(len);
      let off = 0;
      while (off < len) {
        const { bytesRead } = await handle.read(new Uint8Array(ab), off, len - off, start + off);
        if (bytesRead === 0) break;
        off += bytesRead;
      }
      return ab;
    },
  };
  return { buf, handle };
}

async function metadataOf(file: string, buf: AsyncBuffer): Promise<FileMetaData> {
  if (buf.byteLength === 0) throw importError({ file }, 'the file is empty');
  try {
    return await parquetMetadataAsync(buf);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw importError({ file }, `not a readable parquet file (truncated or corrupt?): ${msg}`);
  }
}

export async function parquetInfo(file: string): Promise<ParquetInfo> {
  const { buf, handle } = await fileBuffer(file);
  try {
    const md = await metadataOf(file, buf);
    const root = md.schema[0];
    const n = root?.num_children ?? 0;
    // top-level columns are the root's direct children; walk the flattened schema to find them
    const columns: string[] = [];
    let i = 1;
    const skip = (): void => {
      const el = md.schema[i++];
      for (let k = 0; k < (el?.num_children ?? 0); k++) skip();
    };
    for (let c = 0; c < n; c++) {
      const el = md.schema[i];
      if (el) columns.push(el.name);
      skip();
    }
    return {
      file,
      numRows: Number(md.num_rows),
      columns,
      rowGroups: md.row_groups.map((rg) => ({ rows: Number(rg.num_rows), bytes: Number(rg.total_compressed_size ?? rg.total_byte_size ?? 0) })),
      size: buf.byteLength,
    };
  } finally {
    await handle.close();
  }
}

/** Rows of one or more parquet files (shards, in order), row group by row group. */
export async function* readParquetRows(
  files: string[],
  opts: ReadOptions = {},
  columns?: string[],
): AsyncGenerator<{ index: number; file: string; row: Record<string, unknown> }> {
  let index = 0;
  let doneBytes = 0;
  for (const file of files) {
    const { buf, handle } = await fileBuffer(file);
    try {
      const md = await metadataOf(file, buf);
      let rowStart = 0;
      let fileBytes = 0;
      for (const rg of md.row_groups) {
        checkAbort(opts.signal);
        const rows = Number(rg.num_rows);
        let got: Record<string, unknown>[];
        try {
          got = await parquetReadObjects({ file: buf, metadata: md, rowStart, rowEnd: rowStart + rows, columns });
        } catch (e) {
          const msg = e instanceof Error ? e.message : String(e);
          throw importError({ file, record: index }, `cannot decode parquet row group at row ${rowStart}: ${msg}`);
        }
        for (const row of got) {
          yield { index, file, row };
          index++;
        }
        rowStart += rows;
        fileBytes = Math.min(buf.byteLength, fileBytes + Number(rg.total_compressed_size ?? 0));
        opts.onBytes?.(doneBytes + fileBytes);
      }
      doneBytes += buf.byteLength;
      opts.onBytes?.(doneBytes);
    } finally {
      await handle.close();
    }
  }
}
