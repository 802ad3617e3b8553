export * from './server.js';
export * from './client.js';
export * from './proc.js';
