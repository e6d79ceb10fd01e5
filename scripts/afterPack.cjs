// electron-builder's afterPack hook (electron-builder.yml): flips Electron's fuses in the packed
// binary before it is signed, so a release build cannot be turned into a plain Node runtime,
// debugged through NODE_OPTIONS/--inspect, or made to run code from outside its checked app.asar.
// CommonJS because electron-builder require()s hook files.
'use strict';
const path = require('node:path');
const { flipFuses, FuseV1Options, FuseVersion } = require('@electron/fuses');

/** electron-builder's Arch enum value for arm64 (builder-util: ia32 0, x64 1, armv7l 2, arm64 3, universal 4). */
const ARCH_ARM64 = 3;

/**
 * The fuse settings for a release build. Pure, so test/security/electronBuilder.test.ts checks
 * exactly what is set; fuses not named here keep Electron's defaults.
 */
function fuseConfig(electronPlatformName, arch) {
  return {
    version: FuseVersion.V1,
    // `ELECTRON_RUN_AS_NODE=1 app` would otherwise be a signed Node runtime for any script.
    [FuseV1Options.RunAsNode]: false,
    // Cookies (and other session storage) encrypted with the OS key store.
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS could preload arbitrary code into the main process.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    // --inspect / --inspect-brk would open a debugger into the main process (and the library).
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    // app.asar's header hash is checked at start (macOS, Windows; electron-builder embeds it).
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    // ...and the app is loaded only from that archive, never from a planted app/ folder.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // Editing the binary breaks Apple Silicon's ad-hoc signature; re-sign it ad hoc (real signing follows).
    resetAdHocDarwinSignature: electronPlatformName === 'darwin' && arch === ARCH_ARM64,
  };
}

/** Where the Electron binary that carries the fuse wire sits in the packed app. */
function electronBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${product}.app`);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${product}.exe`);
  return path.join(appOutDir, packager.executableName);
}

async function afterPack(context) {
  const binary = electronBinaryPath(context);
  await flipFuses(binary, fuseConfig(context.electronPlatformName, context.arch));
  console.log(`  • fuses set for release  binary=${path.relative(process.cwd(), binary)}`);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuseConfig = fuseConfig;
module.exports.electronBinaryPath = electronBinaryPath;
