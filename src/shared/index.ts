export * from './domain';
export * from './models';
export * from './errors';
export * from './contract';
export * from './dispatch';
export * from './bridge';
export * from './runs';
export * from './files';
