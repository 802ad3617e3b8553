/**
 * The channels plugin's wire texts. `Invalid channel.` and `Cannot leave <default>.` are fixed by
 * PROTOCOL.md §7.3; the others follow the D3 style (one English sentence, ending with a period).
 */
export const CHANNEL_ERR = Object.freeze({
  invalid: 'Invalid channel.',
  cannotLeave: (channel: string) => `Cannot leave ${channel}.`,
  restricted: (channel: string) => `Channel ${channel} is restricted.`,
  readOnly: (channel: string) => `Channel ${channel} is read-only.`,
  tooMany: 'Too many channels.',
  notMember: (channel: string) => `Not a member of ${channel}.`,
  notLoggedIn: 'Not logged in.',
});

/** Fills `{channel}` in an operator template (every occurrence). */
export const fillChannel = (template: string, channel: string): string => template.replaceAll('{channel}', channel);
