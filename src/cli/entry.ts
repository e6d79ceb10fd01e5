import { main } from './index';
import { warnOnStrayRejections } from './strayRejections';

warnOnStrayRejections();

main(process.argv).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`medtask: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
