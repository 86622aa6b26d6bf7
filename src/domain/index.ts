export * from './actor';
export * from './decision';
export * from './resource';
export * from './violation';
export * from './identifiers';
