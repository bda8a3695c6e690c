/**
 * A local stand-in for the two Secrets Manager operations the product uses (GetSecretValue from
 * functions, PutSecretValue from the deploy script), speaking the service's JSON 1.1 protocol so
 * the real SDK client talks to it (AWS_ENDPOINT_URL_SECRETS_MANAGER or `endpoint`). Tests never
 * reach AWS.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerRequest {
  operation: string;
  secretId: string;
}

export interface FakeSecretsManager {
  url: string;
  /** Operations received (names and secret ids only). */
  requests: SecretsManagerRequest[];
  /** Current value of each secret by ARN. */
  values: Map<string, string>;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((res, rej) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res(Buffer.concat(chunks).toString('utf8')));
    req.on('error', rej);
  });

/** `secrets` maps each existing secret's ARN to its current value. */
export async function startFakeSecretsManager(secrets: Record<string, string>): Promise<FakeSecretsManager> {
  const values = new Map(Object.entries(secrets));
  const requests: SecretsManagerRequest[] = [];
  let version = 0;
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.replace(/^secretsmanager\./, '');
      let input: { SecretId?: string; SecretString?: string };
      try {
        input = JSON.parse(raw || '{}') as typeof input;
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'Malformed JSON' });
      }
      const secretId = input.SecretId ?? '';
      requests.push({ operation, secretId });
      if (!values.has(secretId)) {
        return reply(400, { __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
      }
      const name = secretId.split(':').pop() ?? secretId;
      if (operation === 'GetSecretValue') {
        return reply(200, {
          ARN: secretId,
          Name: name,
          SecretString: values.get(secretId),
          VersionId: `v${version}`,
          VersionStages: ['AWSCURRENT'],
          CreatedDate: 1_700_000_000,
        });
      }
      if (operation === 'PutSecretValue' && typeof input.SecretString === 'string') {
        values.set(secretId, input.SecretString);
        version += 1;
        return reply(200, { ARN: secretId, Name: name, VersionId: `v${version}`, VersionStages: ['AWSCURRENT'] });
      }
      return reply(400, { __type: 'InvalidRequestException', message: `${operation} is not supported here` });
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    values,
    close: () =>
      new Promise<void>((res) => {
        server.closeAllConnections();
        server.close(() => res());
      }),
  };
}
