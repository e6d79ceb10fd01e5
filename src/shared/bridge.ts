/**
 * What the Electron preload puts on `window.medtask`: one function per call returning an
 * envelope, one subscription function, and native file dialogs. Nothing else of IPC reaches
 * the page.
 */
import { z } from 'zod';
import type { CallInput, CallName, CallResults, EventName, EventPayloads } from './contract';
import type { Envelope } from './errors';

export const IPC_CALL_PREFIX = 'medtask:call:';
export const IPC_EVENT_CHANNEL = 'medtask:event';
export const IPC_DIALOG_OPEN = 'medtask:dialog:open';
export const IPC_DIALOG_SAVE = 'medtask:dialog:save';

/**
 * The dialogs' option schemas, built on first use: the preload bundle needs only the channel
 * names above, and a module-level schema would pull zod into it.
 */
function buildDialogSchemas() {
  /** A path the page suggests as the dialog's starting place; it grants nothing by itself. */
  const startPath = z
    .string()
    .max(4096)
    .refine((p) => !p.includes('\0'), 'must not contain NUL');
  const fileFilter = z
    .object({
      name: z.string().min(1).max(80),
      /** Without the dot; `*` for all files. */
      extensions: z
        .array(z.string().regex(/^(\*|[A-Za-z0-9_-]{1,16})$/, 'an extension is letters and digits, without the dot'))
        .min(1)
        .max(16),
    })
    .strict();
  const open = z
    .object({
      title: z.string().max(120).optional(),
      /** What may be chosen; `any` offers files and folders where the OS can (macOS), files elsewhere. */
      pick: z.enum(['file', 'folder', 'any']).default('file'),
      multiple: z.boolean().default(false),
      filters: z.array(fileFilter).max(8).optional(),
      defaultPath: startPath.optional(),
    })
    .strict();
  const save = z
    .object({
      title: z.string().max(120).optional(),
      filters: z.array(fileFilter).max(8).optional(),
      /** A suggested file name, or a full path whose folder the dialog opens in. */
      defaultPath: startPath.optional(),
    })
    .strict();
  return { open, save };
}

type DialogSchemas = ReturnType<typeof buildDialogSchemas>;
let dialogSchemasCache: DialogSchemas | undefined;

export function dialogSchemas(): DialogSchemas {
  return (dialogSchemasCache ??= buildDialogSchemas());
}

export type OpenDialogOptions = z.input<DialogSchemas['open']>;
export type SaveDialogOptions = z.input<DialogSchemas['save']>;

/**
 * Native dialogs (Electron only). The main process grants the engine read access to what the
 * user opened and write access to the file they chose to save, and returns the paths; an empty
 * list / null means the user cancelled.
 */
export type DialogBridge = {
  open(options: OpenDialogOptions): Promise<Envelope<{ paths: string[] }>>;
  save(options: SaveDialogOptions): Promise<Envelope<{ path: string | null }>>;
};

export type MedtaskBridge = {
  calls: { [N in CallName]: (input: CallInput<N>) => Promise<Envelope<CallResults[N]>> };
  onEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
  /** Present in the desktop app; a host without native dialogs leaves it out. */
  dialogs?: DialogBridge;
};
