import { main } from './index';
import { exitQuietlyOnClosedPipe } from './closedPipe';
import { warnOnStrayRejections } from './strayRejections';

warnOnStrayRejections();
exitQuietlyOnClosedPipe();

main(process.argv).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`medtask: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
