/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is 192.0.2.1. */
export function clientIp(remoteAddress: string): string {
  return remoteAddress.startsWith('::ffff:') && remoteAddress.includes('.') ? remoteAddress.slice(7) : remoteAddress;
}

/** `192.0.2.1:40000`, or `[2001:db8::1]:40000` for IPv6. */
export function clientLabel(remoteAddress: string, remotePort: number): string {
  const ip = clientIp(remoteAddress);
  return ip.includes(':') ? `[${ip}]:${remotePort}` : `${ip}:${remotePort}`;
}

/**
 * clientLabel() for a connection that may have ended: null when its address is unknown. That
 * happens only to a client that reset the connection before the server accepted it (a port
 * scanner's connect-and-reset): the kernel then refuses getpeername(2), and Node's accept passes
 * no address either, so nothing in the process can still learn it.
 */
export function connectionClientLabel(remoteAddress: string, remotePort: number): string | null {
  return remoteAddress === '' ? null : clientLabel(remoteAddress, remotePort);
}
