/**
 * Entry of the inference engine child process: one InferenceEngine (node-llama-cpp) serving the
 * host over the message protocol in protocol.ts. Launched by EngineProcess with
 * `child_process.fork` (CLI, web host) or, in Electron, as a `utilityProcess` (the same file; it
 * talks over `process.parentPort` there). If llama.cpp aborts on a model, only this process dies.
 */
import { InferenceEngine } from '../engine';
import type { EngineOptions, GenerateRequest } from '../types';
import { batchResultToWire, errorToWire, type CallArgsOf, type FromChild, type ToChild } from './protocol';

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;

function send(message: FromChild): void {
  if (parentPort) parentPort.postMessage(message);
  else if (process.send && process.connected) process.send(message);
}

const options = JSON.parse(process.env.MEDTASK_ENGINE_OPTIONS ?? '{}') as EngineOptions;
const engine = new InferenceEngine(options);
/** Abort controllers of calls in flight: the call's own, and a batch's per-request ones. */
const controllers = new Map<number, { call: AbortController; items: Map<number, AbortController> }>();

async function perform(id: number, method: string, args: unknown[]): Promise<unknown> {
  const controller = controllers.get(id)!;
  const signal = controller.call.signal;
  switch (method) {
    case 'backendInfo':
      return engine.backendInfo();
    case 'loadModel': {
      const [path, o] = args as CallArgsOf['loadModel'];
      const { progress, ...rest } = o;
      return engine.loadModel(path, { ...rest, signal, ...(progress ? { onProgress: (p: number) => send({ type: 'progress', id, progress: p }) } : {}) });
    }
    case 'unloadModel':
      return engine.unloadModel((args as CallArgsOf['unloadModel'])[0]);
    case 'loadedModels':
      return engine.loadedModels();
    case 'tokenize':
      return engine.tokenize(...(args as CallArgsOf['tokenize']));
    case 'detokenize':
      return engine.detokenize(...(args as CallArgsOf['detokenize']));
    case 'checkChatTemplate':
      return engine.checkChatTemplate(...(args as CallArgsOf['checkChatTemplate']));
    case 'generate': {
      const [request, stream] = args as CallArgsOf['generate'];
      return engine.generate({ ...request, signal, ...(stream ? { onToken: (text: string) => send({ type: 'token', id, index: 0, text }) } : {}) });
    }
    case 'generateBatch': {
      const [requests, o] = args as CallArgsOf['generateBatch'];
      const reqs: GenerateRequest[] = requests.map((r, index) => {
        const item = new AbortController();
        controller.items.set(index, item);
        return { ...r, signal: item.signal, ...(o.stream[index] ? { onToken: (text: string) => send({ type: 'token', id, index, text }) } : {}) };
      });
      // Results travel one by one as they finish; the final answer carries none (the host has them).
      await engine.generateBatch(reqs, {
        ...(o.parallel !== undefined ? { parallel: o.parallel } : {}),
        signal,
        onResult: (index, result) => send({ type: 'item', id, index, result: batchResultToWire(result) }),
      });
      return null;
    }
  }
  throw new Error(`unknown engine method ${method}`);
}

async function dispose(): Promise<void> {
  for (const c of controllers.values()) c.call.abort();
  await engine.dispose().catch(() => undefined);
  process.exit(0);
}

function onMessage(raw: unknown): void {
  const message = raw as ToChild;
  if (message.type === 'call') {
    controllers.set(message.id, { call: new AbortController(), items: new Map() });
    perform(message.id, message.method, message.args)
      .then(
        (value) => send({ type: 'result', id: message.id, value: value ?? null }),
        (err: unknown) => send({ type: 'error', id: message.id, error: errorToWire(err) }),
      )
      .finally(() => controllers.delete(message.id));
  } else if (message.type === 'abort') {
    const c = controllers.get(message.id);
    if (message.index === undefined) c?.call.abort(new DOMException('The operation was aborted', 'AbortError'));
    else c?.items.get(message.index)?.abort(new DOMException('The operation was aborted', 'AbortError'));
  } else if (message.type === 'dispose') {
    void dispose();
  }
}

if (parentPort) parentPort.on('message', (e) => onMessage(e.data));
else {
  process.on('message', onMessage);
  // The host went away (crash, kill -9): nothing is left to serve.
  process.on('disconnect', () => void dispose());
}
send({ type: 'ready', pid: process.pid });
