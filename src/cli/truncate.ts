/** Help text for `--truncate`, shared by `generate` and `run`. */
export const TRUNCATE_HELP =
  'a prompt over its budget: error (default), or cut it — keep-start drops the end (MedS-Bench eval.py, with --max-prompt-tokens 2048), keep-end drops the start, keep-both the middle';
