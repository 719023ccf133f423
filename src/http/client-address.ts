// The key a client's address is limited by. An IPv6 client usually holds a whole /64 (a home or an
// office network gets one), and could take a fresh address for every try: its /64 is the client.
import { isIPv6 } from 'node:net';

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
