// haproxy dev/poll/poll's actions, with the meaning that tool gives them.
export const ACTIONS = {
  con: 'connect the client to the listener (implicit before the first -c/-s)',
  acc: 'accept on the listener (implicit before the first -s)',
  snd: 'send "foo" (MSG_NOSIGNAL|MSG_DONTWAIT)',
  mor: 'send "foo" with MSG_MORE',
  rcv: 'receive up to 10 bytes (MSG_DONTWAIT)',
  drn: 'drain: receive until 0 (blocking, bounded by the step timeout)',
  shr: 'shutdown(SHUT_RD)',
  shw: 'shutdown(SHUT_WR)',
  shb: 'shutdown(SHUT_RDWR)',
  lin: 'SO_LINGER {1, 0}: the next close sends an RST',
  clo: 'close() the descriptor',
  pol: 'observe readiness once with the chosen mechanism',
} as const;

export type Action = keyof typeof ACTIONS;

export function isAction(word: string): word is Action {
  return Object.hasOwn(ACTIONS, word);
}
