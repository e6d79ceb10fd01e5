/**
 * The release packaging, checked without packaging (electron-builder and Electron's binary need
 * the network): electron-builder.yml's fuse hook and the exact fuses it sets, that every native
 * file the package would carry is unpacked from the asar, that only the target platform's
 * llama.cpp binaries go in, and that src/main trusts the dev-server URL only when unpacked.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const require = createRequire(import.meta.url);
const ROOT = path.resolve(__dirname, '../..');

interface BuilderConfig {
  afterPack?: string;
  asar?: boolean;
  npmRebuild?: boolean;
  files: string[];
  asarUnpack: string[];
}
const config = parseYaml(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

type Hook = ((context: unknown) => Promise<void>) & {
  fuseConfig(platform: string, arch: number): Record<string, unknown>;
};
const hookPath = path.join(ROOT, config.afterPack ?? 'missing-afterPack-hook');
const fuses = require('@electron/fuses') as {
  FuseV1Options: Record<string, number>;
  getCurrentFuseWire(binary: string): Promise<Record<string, unknown>>;
};
const { SENTINEL: FUSE_SENTINEL, FuseState } = require('@electron/fuses/dist/constants') as { SENTINEL: string; FuseState: Record<string, number> };

// minimatch as electron-builder uses it ({ dot: true }); the installed copy has no type package.
type MatcherCtor = new (pattern: string, options: { dot: boolean }) => { negate: boolean; match(p: string, partial?: boolean): boolean };
const { Minimatch } = require('minimatch') as { Minimatch: MatcherCtor };

/** electron-builder's file-pattern macros: `${os}` is mac | linux | win, `${arch}` the target arch. */
function expand(pattern: string, target: { os: string; arch: string }): string {
  return pattern.replaceAll('${os}', target.os).replaceAll('${arch}', target.arch);
}

/** electron-builder's minimatchAll (util/filter.ts): the last pattern that decides wins. */
function matchesAll(file: string, patterns: string[]): boolean {
  let match = false;
  for (const pattern of patterns) {
    const m = new Minimatch(pattern, { dot: true });
    if (match !== m.negate) continue;
    match = m.match(file);
  }
  return match;
}

/**
 * Whether electron-builder would put `file` (a node_modules path) into the app, per its
 * fileMatcher.ts: production modules are copied through only the `files` exclusions after `**`/`*`;
 * the main matcher copies app files, with `!**`/`node_modules/**` placed before the first
 * node_modules inclusion (which is how `node_modules/@node-llama-cpp/${os}-${arch}*` re-adds
 * just the target's binaries).
 */
function wouldPack(file: string, target: { os: string; arch: string }): boolean {
  const files = config.files.map((p) => expand(p, target));
  const nodeModulePatterns = ['**/*', ...files.filter((p) => p.startsWith('!'))];
  const main = [...files];
  const first = main.findIndex((p) => !p.startsWith('!') && p.includes('node_modules/'));
  if (first >= 0) main.splice(first, 0, '!**/node_modules/**');
  return matchesAll(file, nodeModulePatterns) || (first >= 0 && matchesAll(file, main));
}

function isUnpacked(file: string): boolean {
  return config.asarUnpack.some((glob) => new Minimatch(glob, { dot: true }).match(file));
}

const NATIVE = /\.(node|dylib|dll)$|\.so(\.\d+)*$/;

/** The production dependency tree as npm installed it (what electron-builder collects). */
function productionPackages(): string[] {
  const seen = new Set<string>();
  const queue: string[] = [ROOT];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      // Node's lookup: the package's own node_modules, then each parent's, up to the root.
      let found: string | null = null;
      for (let at = dir; ; at = path.dirname(at)) {
        const candidate = path.join(at, 'node_modules', name);
        if (fs.existsSync(path.join(candidate, 'package.json'))) {
          found = candidate;
          break;
        }
        if (at === ROOT || path.dirname(at) === at) break;
      }
      if (found && !seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return [...seen];
}

function nativeFilesIn(pkgDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue; // nested packages are walked as packages
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (NATIVE.test(entry.name)) out.push(path.relative(ROOT, full).split(path.sep).join('/'));
    }
  };
  walk(pkgDir);
  return out;
}

describe('electron-builder.yml', () => {
  it('packs into an asar, rebuilds native modules for Electron and runs the fuse hook', () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    expect(config.afterPack).toBe('scripts/afterPack.cjs');
    expect(fs.existsSync(hookPath)).toBe(true);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
  });
});

describe('release fuses (scripts/afterPack.cjs)', () => {
  const hook = require(hookPath) as Hook;
  const O = fuses.FuseV1Options;

  it('sets exactly the six hardening fuses and leaves the rest to Electron', () => {
    const cfg = hook.fuseConfig('linux', 1);
    const { version, resetAdHocDarwinSignature, ...set } = cfg;
    expect(version).toBe('1');
    expect(resetAdHocDarwinSignature).toBe(false);
    expect(set).toEqual({
      [O.RunAsNode!]: false,
      [O.EnableNodeOptionsEnvironmentVariable!]: false,
      [O.EnableNodeCliInspectArguments!]: false,
      [O.EnableCookieEncryption!]: true,
      [O.EnableEmbeddedAsarIntegrityValidation!]: true,
      [O.OnlyLoadAppFromAsar!]: true,
    });
    // Every platform gets the same fuses; only Apple Silicon needs its ad-hoc signature redone.
    for (const [platform, arch] of [
      ['darwin', 1],
      ['win32', 1],
      ['mas', 3],
    ] as const) {
      const { resetAdHocDarwinSignature: _r, ...other } = hook.fuseConfig(platform, arch);
      expect(other).toEqual({ version: '1', ...set });
    }
    expect(hook.fuseConfig('darwin', 3).resetAdHocDarwinSignature).toBe(true);
  });

  // Electron's binary cannot be downloaded here, so the hook runs on a stand-in file carrying the
  // fuse wire the way Electron's binary does (sentinel, version 1, length, one byte per fuse),
  // through the real @electron/fuses, at the path the hook derives for each platform.
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'medtask-fuses-'));
  afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));
  // Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; 9 fuses.
  const DEFAULT_WIRE = '101100011';
  const standIn = () =>
    Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(FUSE_SENTINEL), Buffer.from([1, DEFAULT_WIRE.length]), Buffer.from(DEFAULT_WIRE), Buffer.alloc(4096, 9)]);

  // `read` is what @electron/fuses reads back: the executable, or the .app bundle on macOS.
  const platforms: { platform: string; binary: string; read: string }[] = [
    { platform: 'linux', binary: 'medtask-studio', read: 'medtask-studio' },
    { platform: 'win32', binary: 'MedTask Studio.exe', read: 'MedTask Studio.exe' },
    { platform: 'darwin', binary: 'MedTask Studio.app/Contents/Frameworks/Electron Framework.framework/Electron Framework', read: 'MedTask Studio.app' },
  ];
  for (const { platform, binary, read } of platforms) {
    it(`flips the fuses in the packed ${platform} binary`, async () => {
      const appOutDir = path.join(temp, platform);
      const file = path.join(appOutDir, binary);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, standIn());
      const context = {
        appOutDir,
        electronPlatformName: platform,
        arch: 1,
        packager: { executableName: 'medtask-studio', appInfo: { productFilename: 'MedTask Studio' } },
      };
      await hook(context);
      const wire = await fuses.getCurrentFuseWire(path.join(appOutDir, read));
      const on = FuseState.ENABLE;
      const off = FuseState.DISABLE;
      expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => wire[i])).toEqual([off, on, off, off, on, on, off, on, on]);
    });
  }
});

describe('native files and the asar', () => {
  const linuxX64 = { os: 'linux', arch: 'x64' };
  const packages = productionPackages();
  const shipped = packages.flatMap(nativeFilesIn).filter((f) => wouldPack(f, linuxX64));

  it('unpacks every native file a linux-x64 package would carry', () => {
    const owners = new Set(
      shipped.map((f) =>
        f
          .split('/')
          .slice(0, f.startsWith('node_modules/@') ? 3 : 2)
          .join('/'),
      ),
    );
    console.log(
      `[electronBuilder] ${packages.length} production packages, ${shipped.length} native files shipped for linux-x64 from: ${[...owners].sort().join(', ')}`,
    );
    // The ones this app loads must be there, or the walk proved nothing.
    expect(shipped).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(shipped).toContain('node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/llama-addon.node');
    expect(shipped.some((f) => f.startsWith('node_modules/@node-llama-cpp/linux-x64/bins/linux-x64/libggml'))).toBe(true);
    expect(shipped.some((f) => f.startsWith('node_modules/@node-rs/jieba-linux-x64'))).toBe(true);
    const packed = shipped.filter((f) => !isUnpacked(f));
    expect(packed, 'native files left inside app.asar (add their package to asarUnpack)').toEqual([]);
  });

  it('ships only the target platform’s llama.cpp binaries', () => {
    const llama = packages.flatMap(nativeFilesIn).filter((f) => f.startsWith('node_modules/@node-llama-cpp/'));
    const forX64 = llama.filter((f) => wouldPack(f, linuxX64));
    expect(forX64.length).toBeGreaterThan(0);
    expect(forX64.filter((f) => !/^node_modules\/@node-llama-cpp\/linux-x64(-[a-z-]+)?\//.test(f))).toEqual([]);
    const forArm64 = llama.filter((f) => wouldPack(f, { os: 'linux', arch: 'arm64' }));
    expect(forArm64.filter((f) => !f.startsWith('node_modules/@node-llama-cpp/linux-arm64/'))).toEqual([]);
    // Other OSes' packages are not installed here; their paths follow the same pattern.
    const mac = 'node_modules/@node-llama-cpp/mac-arm64-metal/bins/mac-arm64-metal/llama-addon.node';
    const win = 'node_modules/@node-llama-cpp/win-x64-cuda/bins/win-x64-cuda/llama-addon.node';
    expect(wouldPack(mac, { os: 'mac', arch: 'arm64' })).toBe(true);
    expect(wouldPack(mac, { os: 'mac', arch: 'x64' })).toBe(false);
    expect(wouldPack(mac, linuxX64)).toBe(false);
    expect(wouldPack(win, { os: 'win', arch: 'x64' })).toBe(true);
    expect(wouldPack(win, linuxX64)).toBe(false);
    expect([mac, win].every(isUnpacked)).toBe(true);
    console.log(
      `[electronBuilder] llama.cpp native files: ${llama.length} installed, ${forX64.length} shipped for linux-x64, ${forArm64.length} for linux-arm64`,
    );
  });

  it('ships the portable engine build’s Release folder, unpacked, and not its build tree', () => {
    // What scripts/build-engine-portable.mjs leaves where node-llama-cpp loads local builds from.
    const build = 'node_modules/node-llama-cpp/llama/localBuilds/linux-x64';
    for (const f of ['Release/llama-addon.node', 'Release/libggml-cpu-zen4.so', 'Release/_nlcBuildMetadata.json', 'buildDone.status']) {
      expect(wouldPack(`${build}/${f}`, linuxX64), f).toBe(true);
      expect(isUnpacked(`${build}/${f}`), f).toBe(true);
    }
    for (const f of ['CMakeFiles/ggml.dir/ggml.c.o', 'llama.cpp/ggml/src/libggml-base.so', 'bin/llama-addon.node', 'CMakeCache.txt'])
      expect(wouldPack(`${build}/${f}`, linuxX64), f).toBe(false);
    expect(wouldPack(`${build}/Release/llama-addon.node`, { os: 'linux', arch: 'arm64' })).toBe(false);
    // The source the build unpacked and the bundle it came from: only a build reads them.
    expect(wouldPack('node_modules/node-llama-cpp/llama/llama.cpp/ggml/src/ggml.c', linuxX64)).toBe(false);
    expect(wouldPack('node_modules/node-llama-cpp/llama/gitRelease.bundle', linuxX64)).toBe(false);
    expect(wouldPack('node_modules/node-llama-cpp/llama/llama.cpp.info.json', linuxX64)).toBe(true);
    expect(wouldPack('node_modules/node-llama-cpp/dist/index.js', linuxX64)).toBe(true);
    expect(wouldPack('node_modules/node-llama-cpp/llama/localBuilds/win-x64/Release/llama-addon.node', { os: 'win', arch: 'x64' })).toBe(true);
    expect(wouldPack('node_modules/node-llama-cpp/llama/localBuilds/win-x64/Release/llama-addon.node', linuxX64)).toBe(false);
  });

  it('leaves better-sqlite3’s sources and test extension out', () => {
    expect(wouldPack('node_modules/better-sqlite3/build/Release/test_extension.node', linuxX64)).toBe(false);
    expect(wouldPack('node_modules/better-sqlite3/build/Release/obj.target/better_sqlite3.node', linuxX64)).toBe(false);
    expect(wouldPack('node_modules/better-sqlite3/deps/sqlite3/sqlite3.c', linuxX64)).toBe(false);
    expect(wouldPack('node_modules/better-sqlite3/lib/database.js', linuxX64)).toBe(true);
  });
});

describe('src/main (static)', () => {
  const mainDir = path.join(ROOT, 'src/main');
  const sources = fs
    .readdirSync(mainDir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join(mainDir, f), 'utf8') }));

  it('reads ELECTRON_RENDERER_URL only through trustedDevUrl(app.isPackaged, …)', () => {
    const reads = sources
      .flatMap(({ file, text }) => [...text.matchAll(/^.*ELECTRON_RENDERER_URL.*$/gm)].map((m) => ({ file, line: m[0] })))
      .filter((r) => !r.line.trim().startsWith('//') && !r.line.trim().startsWith('*'));
    expect(reads.map((r) => r.file)).toEqual(['index.ts']);
    expect(reads[0]!.line).toMatch(/trustedDevUrl\(packaged, process\.env\.ELECTRON_RENDERER_URL\)/);
    const index = sources.find((s) => s.file === 'index.ts')!.text;
    expect(index).toMatch(/const packaged = app\.isPackaged;/);
    // The window loads the trusted dev URL or the app's own origin, nothing else.
    expect([...index.matchAll(/loadURL\(([^)]*)\)/g)].map((m) => m[1])).toEqual(['devUrl ?? `${APP_ORIGIN}/index.html`']);
  });

  it('keeps DevTools, permissions, devices, navigation and single-instance locked down', () => {
    const all = sources.map((s) => s.text).join('\n');
    expect(all).toMatch(/devTools: !packaged/);
    expect(all).toMatch(/requestSingleInstanceLock\(\)/);
    for (const handler of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler']) expect(all).toContain(handler);
    expect(all).toMatch(/setWindowOpenHandler\([\s\S]*?action: 'deny'/);
    expect(all).toMatch(/'will-navigate'/);
    // openExternal only behind the allowlist and the question to the user.
    const callers = sources.filter((s) => /shell\.openExternal\(/.test(s.text)).map((s) => s.file);
    expect(callers).toEqual(['external.ts']);
    // With RunAsNode off, a fork would start a second app, not Node: the engine runs as a utilityProcess.
    expect(all).not.toMatch(/from '(node:)?child_process'/);
    expect(sources.find((s) => s.file === 'index.ts')!.text).toMatch(/engineTransport: utilityProcessTransport/);
    expect(sources.find((s) => s.file === 'index.ts')!.text).toMatch(/fileAccess: \{ confine: true \}/);
    const external = sources.find((s) => s.file === 'external.ts')!.text;
    expect(external.indexOf('isDocumentationUrl(url)')).toBeLessThan(external.indexOf('showMessageBox'));
    expect(external.indexOf('showMessageBox')).toBeLessThan(external.indexOf('shell.openExternal('));
  });
});
