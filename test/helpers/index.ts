/** The project's tests use the same kit as plugin authors (`classcord/testing`), plus a few extras. */
export * from '../../core/testing/index.js';
export * from './proc.js';
