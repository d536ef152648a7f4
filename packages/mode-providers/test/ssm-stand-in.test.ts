import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAND_IN_PARAMETER, startSsmStandIn, type SsmStandIn } from '@sinkhole/test-kit';

let standIn: SsmStandIn;
beforeAll(async () => {
  standIn = await startSsmStandIn();
});
afterAll(async () => {
  await standIn.close();
});

const SIGNED = 'AWS4-HMAC-SHA256 Credential=AKIDSTANDIN/20250101/us-east-1/ssm/aws4_request, SignedHeaders=host, Signature=00';

async function call(
  body: string,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(standIn.endpoint, {
    method,
    headers: {
      authorization: SIGNED,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.GetParameter',
      ...headers,
    },
    ...(method === 'POST' ? { body } : {}),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('the SSM stand-in speaks the GetParameter JSON protocol', () => {
  it('answers a parameter like SSM, with a version that grows on each setValue', async () => {
    standIn.setValue('bounce');
    const first = await call(JSON.stringify({ Name: STAND_IN_PARAMETER, WithDecryption: false }));
    expect(first.status).toBe(200);
    expect(first.json['Parameter']).toMatchObject({
      Name: STAND_IN_PARAMETER,
      Type: 'String',
      Value: 'bounce',
      DataType: 'text',
      ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${STAND_IN_PARAMETER}`,
    });
    standIn.setValue('accept');
    const second = await call(JSON.stringify({ Name: STAND_IN_PARAMETER }));
    const version = (p: Record<string, unknown>) => (p['Parameter'] as { Version: number }).Version;
    expect(version(second.json)).toBe(version(first.json) + 1);
  });

  it.each([
    ['an unsigned request', '{}', { authorization: '' }, 400, 'MissingAuthenticationTokenException'],
    ['another operation', '{}', { 'x-amz-target': 'AmazonSSM.PutParameter' }, 400, 'UnknownOperationException'],
    ['another content type', '{}', { 'content-type': 'application/json' }, 400, 'SerializationException'],
    ['a body that is not a JSON object', '[1]', {}, 400, 'SerializationException'],
    ['a missing Name', '{}', {}, 400, 'ValidationException'],
    ['an unknown Name', '{"Name":"/nope"}', {}, 400, 'ParameterNotFound'],
    ['a body over 64 KiB', `{"Name":"${'x'.repeat(70_000)}"}`, {}, 413, 'SerializationException'],
  ] as const)('refuses %s', async (_label, body, headers, status, type) => {
    const answer = await call(body, headers);
    expect(answer.status).toBe(status);
    expect(answer.json['__type']).toBe(type);
  });

  it('refuses anything but POST /', async () => {
    const answer = await call('', {}, 'GET');
    expect(answer.status).toBe(404);
  });

  it('deleteValue makes the parameter not found, and counts every GetParameter', async () => {
    const before = standIn.requestCount;
    standIn.deleteValue();
    const answer = await call(JSON.stringify({ Name: STAND_IN_PARAMETER }));
    expect(answer.json['__type']).toBe('ParameterNotFound');
    standIn.setValue('defer');
    expect(standIn.requestCount).toBe(before + 1);
  });
});
