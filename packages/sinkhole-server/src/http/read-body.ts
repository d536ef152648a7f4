import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** The request body as UTF-8 text, refused with 413 as soon as it passes maxBytes. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (size <= maxBytes) resolve(Buffer.concat(chunks, size).toString('utf8'));
    });
    req.once('error', reject);
  });
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError('payload_too_large', `the request body is larger than ${maxBytes} bytes (--http-max-body)`, { connection: 'close' });
}
