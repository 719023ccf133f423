// The key a client's address is limited by, and the pre-handler that applies such limits. An IPv6 client usually holds a whole /64 (a home or an
// office network gets one), and could take a fresh address for every try: its /64 is the client.
import { isIPv6 } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../shared/errors.js';

/** The address itself for IPv4 (an IPv4-mapped IPv6 address included), its /64 prefix for IPv6. */
export function clientAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const address = ip.split('%')[0]!; // without a zone (fe80::1%eth0)
  if (!isIPv6(address)) return ip;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

type RateCheck = (request: FastifyRequest) => Promise<{ isAllowed: true } | { isAllowed: false; isExceeded: boolean; ttlInSeconds: number }>;

/**
 * A pre-handler that passes a request through each limit (@fastify/rate-limit's createRateLimit)
 * and refuses the first one exceeded with `code` (429) and Retry-After.
 */
export function limitedBy(limits: RateCheck[], code: 'AUTH_TOO_MANY_ATTEMPTS' | 'PORTAL_TOO_MANY') {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    for (const limit of limits) {
      const status = await limit(request);
      if (status.isAllowed === false && status.isExceeded) {
        reply.header('retry-after', String(status.ttlInSeconds));
        throw new DomainError(code, { seconds: status.ttlInSeconds });
      }
    }
  };
}
