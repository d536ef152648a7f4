import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** What the stand-in does with the next GetParameter calls, instead of answering. */
export type SsmFault = 'throttle' | '500' | 'garbage' | 'hang' | 'not-found' | null;

export interface SsmStandInRequest {
  readonly target: string;
  readonly name: unknown;
  readonly withDecryption: unknown;
}

export interface SsmStandInOptions {
  /** Parameters present at start; default { "/cabal/sinkhole_mode": "defer" }. */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Called for every well-formed GetParameter request, before it is answered. */
  readonly onRequest?: (request: SsmStandInRequest) => void;
}

export interface SsmStandIn {
  /** http://127.0.0.1:<port>, for clientConfig.endpoint or AWS_ENDPOINT_URL_SSM. */
  readonly endpoint: string;
  /** GetParameter requests received, whatever the answer. */
  readonly requestCount: number;
  /** Requests received and not yet answered or dropped by the client (the "hang" fault). */
  readonly openRequests: number;
  setValue(value: string, name?: string): void;
  deleteValue(name?: string): void;
  setFault(fault: SsmFault): void;
  close(): Promise<void>;
}

export const STAND_IN_PARAMETER = '/cabal/sinkhole_mode';
const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
const MAX_REQUEST_BYTES = 64 * 1024;
const STAND_IN_CREDENTIALS = { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in-secret' } as const;

/** Static fake credentials and region that point the real SDK at a stand-in. */
export function standInClientConfig(endpoint: string): Record<string, unknown> {
  return {
    endpoint,
    region: REGION,
    credentials: { ...STAND_IN_CREDENTIALS },
  };
}

/**
 * The environment that points a child process's SDK (the sinkhole's `--mode-source ssm`) at a
 * stand-in: endpoint, region and the same fake credentials, and no instance-metadata lookups.
 */
export function standInEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_SSM: endpoint,
    AWS_REGION: REGION,
    AWS_ACCESS_KEY_ID: STAND_IN_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: STAND_IN_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

interface Parameter {
  readonly value: string;
  readonly version: number;
  readonly modified: number;
}

/**
 * A local stand-in for the SSM GetParameter API: AWS JSON 1.1 over HTTP on
 * 127.0.0.1, answering the way SSM does, with switchable faults. Not a mock of
 * the client: the real @aws-sdk/client-ssm signs, sends and parses.
 */
export async function startSsmStandIn(options: SsmStandInOptions = {}): Promise<SsmStandIn> {
  const parameters = new Map<string, Parameter>();
  const versions = new Map<string, number>();
  let fault: SsmFault = null;
  let requestCount = 0;
  let openRequests = 0;

  const setValue = (value: string, name = STAND_IN_PARAMETER): void => {
    const version = (versions.get(name) ?? 0) + 1;
    versions.set(name, version);
    parameters.set(name, { value, version, modified: Date.now() / 1000 });
  };
  for (const [name, value] of Object.entries(options.parameters ?? { [STAND_IN_PARAMETER]: 'defer' })) {
    setValue(value, name);
  }

  const answer = (request: SsmStandInRequest, res: ServerResponse): void => {
    requestCount += 1;
    options.onRequest?.(request);
    switch (fault) {
      case 'throttle':
        return sendError(res, 400, 'ThrottlingException', 'Rate exceeded');
      case '500':
        return sendError(res, 500, 'InternalServerError', 'An internal error occurred');
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end('<html>this is not JSON</html>');
        return;
      case 'hang':
        openRequests += 1;
        res.on('close', () => {
          openRequests -= 1;
        });
        return;
      case 'not-found':
        return sendError(res, 400, 'ParameterNotFound', '');
      case null:
        break;
    }
    const name = request.name;
    if (typeof name !== 'string' || name.length === 0) {
      return sendError(res, 400, 'ValidationException', 'Name is required');
    }
    const parameter = parameters.get(name);
    if (parameter === undefined) return sendError(res, 400, 'ParameterNotFound', '');
    send(res, 200, {
      Parameter: {
        ARN: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
        LastModifiedDate: parameter.modified,
        Name: name,
        Type: 'String',
        Value: parameter.value,
        Version: parameter.version,
      },
    });
  };

  const server = createServer((req, res) => {
    readRequest(req)
      .then((body) => {
        const target = req.headers['x-amz-target'];
        const contentType = req.headers['content-type'] ?? '';
        if (req.method !== 'POST' || req.url !== '/') {
          return sendError(res, 404, 'UnknownOperationException', 'POST / only');
        }
        if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')) {
          return sendError(res, 400, 'MissingAuthenticationTokenException', 'Request is not signed');
        }
        if (!contentType.startsWith('application/x-amz-json-1.1')) {
          return sendError(res, 400, 'SerializationException', 'Content-Type must be application/x-amz-json-1.1');
        }
        if (target !== 'AmazonSSM.GetParameter') {
          return sendError(res, 400, 'UnknownOperationException', `Unsupported target ${String(target)}`);
        }
        const json = parseJsonObject(body);
        if (json === undefined) return sendError(res, 400, 'SerializationException', 'Body is not a JSON object');
        answer({ target, name: json['Name'], withDecryption: json['WithDecryption'] }, res);
      })
      .catch(() => sendError(res, 413, 'SerializationException', 'Request too large'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requestCount() {
      return requestCount;
    },
    get openRequests() {
      return openRequests;
    },
    setValue,
    deleteValue: (name = STAND_IN_PARAMETER) => {
      parameters.delete(name);
    },
    setFault: (next) => {
      fault = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readRequest(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        reject(new Error('request too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, message.length > 0 ? { __type: type, message } : { __type: type });
}
