/**
 * `medtask … | head`: when the reader closes the pipe early, the rest of the output has nowhere to
 * go. Like other command-line tools, stop quietly (exit 0) instead of printing Node's stack trace for
 * an unhandled EPIPE.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
