/**
 * The fields core's request types need. A missing or non-string required field is answered
 * `Missing field: <name>.` (D3) before any handler runs. Extra fields are always allowed.
 */
const str = { type: 'string' } as const;

export const REQUEST_SCHEMAS: Readonly<Record<string, Record<string, unknown>>> = {
  register: { type: 'object', required: ['username', 'password'], properties: { username: str, password: str } },
  login: { type: 'object', required: ['username', 'password'], properties: { username: str, password: str } },
  message: {
    type: 'object',
    required: ['content'],
    properties: { content: str },
    // A private message needs a string `to`; any other subtype counts as global.
    if: { required: ['subtype'], properties: { subtype: { const: 'private' } } },
    then: { required: ['to'], properties: { to: str } },
  },
  // COMPAT: walo's CLI `/mp` sends a top-level `private`; handled as a private `message` (D5).
  private: { type: 'object', required: ['to', 'content'], properties: { to: str, content: str } },
  // `state` is checked by the handler: an anonymous status is ignored in silence, even without it (D3).
  status: { type: 'object' },
  users: { type: 'object' },
};
