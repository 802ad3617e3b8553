/** Error texts the guard sends (D3: rate-limit replies are `error` lines too). */
export const GUARD_ERR = Object.freeze({
  tooManyConnections: 'Too many connections from your address.',
  banned: 'You are banned from this server.',
  rateLimited: 'Too many messages, slow down.',
  tooManyFailures: 'Too many failed logins. Try again later.',
  loginDeadline: 'Login timeout.',
  idle: 'Idle timeout.',
});

/**
 * The one log line every block writes, in a fixed format an external fail2ban filter can match:
 * `failregex = "msg":"guard: blocked ip=<HOST> reason=`
 */
export const blockedLine = (ip: string, reason: string): string => `guard: blocked ip=${ip} reason=${reason}`;
