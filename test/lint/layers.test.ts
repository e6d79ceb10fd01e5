/**
 * Probes for the layer allowlist (lint/layers.js): source that breaks a layer, linted with the
 * repository's own ESLint config at a path inside that layer, must be reported; allowed imports
 * must not be. The probes are linted as text at a path that does not exist, so no stray file can
 * reach another engineer's build; type-aware parsing is off for them (the rule needs no types).
 */
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers';

const RULE = 'layers/imports-allowed';
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({
    cwd: REPO,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  });
});

/** The layer-rule messages ESLint reports for `code` as if it were the file `file`. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO}/${file}` });
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal).toEqual([]);
  return result!.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
}

describe('layer allowlist', () => {
  it('shared may import only zod: a bare builtin, node:, a package or core is reported', async () => {
    const file = 'src/shared/layerProbe.ts';
    expect(await layerErrors(file, "import { z } from 'zod';\nexport const a = z.string();\n")).toEqual([]);
    expect(await layerErrors(file, "import fs from 'fs';\nexport const a = fs;\n")).toEqual([
      expect.stringContaining('shared may not import the Node builtin "fs"'),
    ]);
    expect(await layerErrors(file, "import path from 'node:path';\nexport const a = path;\n")).toHaveLength(1);
    expect(await layerErrors(file, "import yaml from 'yaml';\nexport const a = yaml;\n")).toEqual([
      expect.stringContaining('may not import the package "yaml"'),
    ]);
    expect(await layerErrors(file, "export { MedtaskCore } from '../core/service';\n")).toEqual([expect.stringContaining('shared may not import core')]);
    expect(await layerErrors(file, "export * from '../renderer/src/lib/format';\n")).toEqual([expect.stringContaining('shared may not import renderer')]);
  });

  it('the renderer may import shared, its UI libraries and itself; not core, Node or other packages', async () => {
    const file = 'src/renderer/src/features/library/layerProbe.ts';
    const allowed = [
      "import { create } from 'zustand';",
      "import { useState } from 'react';",
      "import { createRoot } from 'react-dom/client';",
      "import { useVirtualizer } from '@tanstack/react-virtual';",
      "import * as echarts from 'echarts';",
      "import Worker from 'monaco-editor/editor/editor.worker?worker';",
      "import type { MedtaskClient } from '../../../../shared/contract';",
      "import { formatCount } from '../../lib/format';",
      "import './library.css';",
    ];
    expect(
      await layerErrors(
        file,
        `${allowed.join('\n')}\nexport const a = [create, useState, createRoot, useVirtualizer, echarts, Worker, formatCount];\nexport type B = MedtaskClient;\n`,
      ),
    ).toEqual([]);
    expect(await layerErrors(file, "import { MedtaskCore } from '../../../../core/service';\nexport const a = MedtaskCore;\n")).toEqual([
      expect.stringContaining('renderer may not import core'),
    ]);
    expect(await layerErrors(file, "import { readFileSync } from 'fs';\nexport const a = readFileSync;\n")).toEqual([expect.stringContaining('"fs"')]);
    expect(await layerErrors(file, "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toEqual([
      expect.stringContaining('"electron"'),
    ]);
    expect(await layerErrors(file, "export const load = () => import('../../../../server/host');\n")).toEqual([
      expect.stringContaining('renderer may not import server'),
    ]);
  });

  it('core may use Node and packages but no host and no Electron', async () => {
    const file = 'src/core/runs/layerProbe.ts';
    expect(
      await layerErrors(
        file,
        "import fs from 'fs';\nimport Database from 'better-sqlite3';\nimport { openDatabase } from '../db/open';\nexport const a = [fs, Database, openDatabase];\n",
      ),
    ).toEqual([]);
    expect(await layerErrors(file, "import { app } from 'electron';\nexport const a = app;\n")).toEqual([expect.stringContaining('"electron"')]);
    expect(await layerErrors(file, "import { startHost } from '../../server/host';\nexport const a = startHost;\n")).toEqual([
      expect.stringContaining('core may not import server'),
    ]);
    expect(await layerErrors(file, "const cli = require('../../cli/index');\nexport const a = cli;\n")).toEqual([
      expect.stringContaining('core may not import cli'),
    ]);
  });

  it('core/db sits below the rest of core, with no known exceptions left', async () => {
    expect(await layerErrors('src/core/db/layerProbe.ts', "import { scoreRunTask } from '../runs/scoring';\nexport const a = scoreRunTask;\n")).toEqual([
      expect.stringContaining('core/db may not import core'),
    ]);
    expect(await layerErrors('src/core/db/migrations.ts', "import { scoreRunTask } from '../runs/scoring';\nexport const a = scoreRunTask;\n")).toHaveLength(1);
    expect(await layerErrors('src/core/db/migrations.ts', "import { RUNS_MIGRATION } from './schema/runs';\nexport const a = RUNS_MIGRATION;\n")).toEqual([]);
  });

  it('the preload bridges the contract only; the hosts may not reach each other or the UI', async () => {
    expect(await layerErrors('src/preload/layerProbe.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await layerErrors('src/main/layerProbe.ts', "import { startHost } from '../server/host';\nexport const a = startHost;\n")).toEqual([
      expect.stringContaining('main may not import server'),
    ]);
    expect(await layerErrors('src/server/layerProbe.ts', "import { App } from '../renderer/src/app/App';\nexport const a = App;\n")).toEqual([
      expect.stringContaining('server may not import renderer'),
    ]);
    expect(await layerErrors('src/cli/layerProbe.ts', "import { startHost } from '../server/host';\nexport const a = startHost;\n")).toEqual([]);
  });
});
