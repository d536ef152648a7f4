/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is 192.0.2.1. */
export function clientIp(remoteAddress: string): string {
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}

/** `192.0.2.1:40000`, or `[2001:db8::1]:40000` for IPv6. */
export function clientLabel(remoteAddress: string, remotePort: number): string {
  const ip = clientIp(remoteAddress);
  return ip.includes(':') ? `[${ip}]:${remotePort}` : `${ip}:${remotePort}`;
}
