// Builds llama.cpp tools from the source node-llama-cpp ships, cached per release and flags.
// Usage: node scripts/build-llama.mjs [--target llama-server --target llama-bench | --targets a,b]
//                                     [--cuda] [--no-native] [--jobs N] [--cache DIR] [--force] [--json] [--check]
// Prints one "target: path" line per binary (or JSON with --json). Build logs go to stderr.
// --check only reports missing build tools (and the apt packages that provide them).
import { buildLlama, checkBuildTools, DEFAULT_TARGETS, llamaBuildPaths } from './llamaBuild.mjs';

const argv = process.argv.slice(2);
const opts = { targets: [], cuda: false, native: true, force: false, json: false, check: false };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const value = () => {
    const v = argv[++i];
    if (v === undefined) usage(`${a} needs a value`);
    return v;
  };
  if (a === '--target') opts.targets.push(...value().split(','));
  else if (a.startsWith('--target=')) opts.targets.push(...a.slice(9).split(','));
  else if (a === '--targets') opts.targets.push(...value().split(','));
  else if (a === '--cuda') opts.cuda = true;
  else if (a === '--no-native') opts.native = false;
  else if (a === '--jobs' || a === '-j') opts.jobs = Number(value());
  else if (a === '--cache') opts.cacheDir = value();
  else if (a === '--force') opts.force = true;
  else if (a === '--json') opts.json = true;
  else if (a === '--check') opts.check = true;
  else if (a === '--help' || a === '-h') usage();
  else if (!a.startsWith('-')) opts.targets.push(a);
  else usage(`unknown option ${a}`);
}
if (opts.targets.length === 0) opts.targets = [...DEFAULT_TARGETS];
if (opts.jobs !== undefined && !(Number.isInteger(opts.jobs) && opts.jobs > 0)) usage('--jobs needs a positive integer');

function usage(problem) {
  const text =
    'usage: node scripts/build-llama.mjs [--target NAME]... [--cuda] [--no-native] [--jobs N] [--cache DIR] [--force] [--json] [--check]\n' +
    `  default targets: ${DEFAULT_TARGETS.join(' ')}; cache: $MEDTASK_LLAMA_CACHE or ~/.cache/medtask/llama.cpp`;
  if (problem) {
    console.error(`build-llama: ${problem}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

const tools = checkBuildTools({ cuda: opts.cuda });
if (opts.check) {
  if (tools.ok)
    console.log(
      `build tools present: ${Object.entries(tools.found)
        .filter(([, p]) => p)
        .map(([t, p]) => `${t}=${p}`)
        .join(' ')}`,
    );
  else console.error(tools.message);
  process.exit(tools.ok ? 0 : 1);
}

try {
  const paths = llamaBuildPaths(opts);
  console.error(`llama.cpp ${paths.source.release} (${paths.source.commit.slice(0, 12)}), variant ${paths.variant}, targets ${opts.targets.join(' ')}`);
  const result = await buildLlama(opts);
  console.error(result.cached ? 'cached: nothing to build' : `built in ${result.seconds.toFixed(1)} s`);
  if (opts.json) console.log(JSON.stringify(result, null, 2));
  else for (const [t, p] of Object.entries(result.binaries)) console.log(`${t}: ${p}`);
} catch (err) {
  console.error(`build-llama: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
