/**
 * What the CLI does with a promise rejection nobody handled: warn on stderr and go on, as
 * Electron's main process does (`--unhandled-rejections=warn`), instead of Node's default of
 * exiting. The model downloader (ipull) leaves such rejections behind when a server misbehaves
 * (its parallel parts' `promise.then(...)` has no rejection handler), after the download itself
 * has already failed and been answered; exiting then would take `medtask serve` down with it.
 */
export function warnOnStrayRejections(): void {
  process.on('unhandledRejection', (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    process.stderr.write(`medtask: warning: unhandled rejection in a background task, ignored as the desktop app does: ${message.split('\n')[0]}\n`);
  });
}
