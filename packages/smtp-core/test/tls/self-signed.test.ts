import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { oid, tlv, time, unsignedInteger } from '../../src/tls/der.js';
import { selfSignedCertificate } from '../../src/tls/self-signed.js';

describe('DER encoding (X.690)', () => {
  it('lengths: short form below 128, long form above', () => {
    expect(tlv(0x04, Buffer.alloc(127)).subarray(0, 2)).toEqual(Buffer.from([0x04, 127]));
    expect(tlv(0x04, Buffer.alloc(128)).subarray(0, 3)).toEqual(Buffer.from([0x04, 0x81, 128]));
    expect(tlv(0x04, Buffer.alloc(300)).subarray(0, 4)).toEqual(Buffer.from([0x04, 0x82, 0x01, 0x2c]));
  });

  it('object identifiers, as in X.690 §8.19.5', () => {
    expect(oid('1.2.840.10045.4.3.2').toString('hex')).toBe('06082a8648ce3d040302');
    expect(oid('2.5.29.17').toString('hex')).toBe('0603551d11');
  });

  it('non-negative integers are minimal, with a zero octet before a set top bit', () => {
    expect(unsignedInteger(Buffer.from([0x00, 0x00, 0x7f])).toString('hex')).toBe('02017f');
    expect(unsignedInteger(Buffer.from([0x80])).toString('hex')).toBe('02020080');
    expect(unsignedInteger(Buffer.from([0x00])).toString('hex')).toBe('020100');
  });

  it('UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', () => {
    expect(time(new Date('2026-12-02T04:05:06.789Z')).toString('latin1').slice(2)).toBe('261202040506Z');
    expect(time(new Date('2050-01-01T00:00:00Z'))[0]).toBe(0x18);
  });
});

describe('selfSignedCertificate', () => {
  it('node parses it: subject, SAN, validity, and its signature verifies with its own key', () => {
    const now = new Date('2026-12-02T00:00:00Z');
    const { cert, key } = selfSignedCertificate('mx.sinkhole.test', { now, days: 30 });
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe('CN=mx.sinkhole.test');
    expect(x509.issuer).toBe('CN=mx.sinkhole.test');
    expect(x509.subjectAltName).toBe('DNS:mx.sinkhole.test');
    expect(x509.ca).toBe(false);
    expect(new Date(x509.validTo).getTime() - now.getTime()).toBe(30 * 86_400_000);
    expect(x509.checkHost('mx.sinkhole.test')).toBe('mx.sinkhole.test');
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
  });

  it('an address literal goes into the SAN as an iPAddress', () => {
    expect(new X509Certificate(selfSignedCertificate('127.0.0.1').cert).subjectAltName).toBe('IP Address:127.0.0.1');
    expect(new X509Certificate(selfSignedCertificate('[IPv6:2001:db8::1]').cert).subjectAltName).toBe('IP Address:2001:DB8:0:0:0:0:0:1');
  });

  it('a host name longer than 64 characters is cut in the CN and whole in the SAN', () => {
    const long = `${'a'.repeat(60)}.example.test`;
    const x509 = new X509Certificate(selfSignedCertificate(long).cert);
    expect(x509.subject).toBe(`CN=${long.slice(0, 64)}`);
    expect(x509.subjectAltName).toBe(`DNS:${long}`);
  });

  it('node:tls serves it, and a client that trusts it verifies the host name', async () => {
    const { cert, key } = selfSignedCertificate('mx.sinkhole.test');
    const server = createServer({ cert, key }, (socket) => socket.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const client = connect({ host: '127.0.0.1', port, servername: 'mx.sinkhole.test', ca: cert });
      await once(client, 'secureConnect');
      expect(client.authorized).toBe(true);
      const [data] = (await once(client, 'data')) as [Buffer];
      expect(data.toString()).toBe('hello');
      client.destroy();
    } finally {
      server.close();
    }
  });
});

