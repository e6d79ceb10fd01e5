export { endpointUrl, RemoteBackend } from './remoteBackend';
export { isRetryableStatus, RemoteInferenceError } from './errors';
export type { RemoteErrorKind } from './errors';
export { Semaphore } from './semaphore';
export type * from './types';
