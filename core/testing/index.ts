/**
 * `classcord/testing`: the test kit for plugin authors (and ClassCord's own tests). Start a real
 * server with the plugins you want on a free port, talk to it over real sockets, expect lines with
 * bounded waits, and clean up. Works with any test runner; assertions are yours.
 *
 * ```ts
 * const server = await startServer({ plugins: { dice: { path: './dice.ts' } } });
 * const alice = await loggedIn(server.port, 'alice');
 * alice.send({ type: 'message', content: '!roll' });
 * console.log(await alice.next()); // { type: 'system', … }
 * await server.stop(); server.cleanup();
 * ```
 */
export * from './server.js';
export * from './client.js';
