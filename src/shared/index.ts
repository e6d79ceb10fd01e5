export * from './domain';
export * from './errors';
export * from './contract';
export * from './dispatch';
export * from './bridge';
