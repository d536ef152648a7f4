/** True when CI is set to anything but '', '0' or 'false': there no test or tier may skip silently. */
export function onCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}
