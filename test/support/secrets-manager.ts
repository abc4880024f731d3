// A stand-in for AWS Secrets Manager's GetSecretValue (JSON 1.1 protocol over HTTP), for a
// function pointed at it with AWS_ENDPOINT_URL_SECRETS_MANAGER: it answers the secrets it was
// given by ARN, ResourceNotFoundException for any other, and records what was asked.

import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsStandIn {
  readonly endpoint: string;
  /** The SecretId of each GetSecretValue, in order. */
  readonly asked: string[];
  close(): Promise<void>;
}

export const startSecretsManager = async (
  secrets: Readonly<Record<string, string>>,
): Promise<SecretsStandIn> => {
  const asked: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (part: string) => (body += part));
    req.on('end', () => {
      const send = (status: number, answer: object) => {
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(answer));
      };
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
        return send(400, { __type: 'UnknownOperationException', message: 'not GetSecretValue' });
      }
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      asked.push(SecretId);
      const value = secrets[SecretId];
      if (value === undefined) {
        return send(400, {
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        });
      }
      send(200, {
        ARN: SecretId,
        Name: SecretId.split(':').at(-1),
        SecretString: value,
        VersionId: '00000000-0000-0000-0000-000000000001',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_767_225_600,
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    asked,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
