// The console's credentials on AWS: the token (and an optional CA bundle) held in Secrets
// Manager, read with GetSecretValue. The values are checked but never echoed: an error names
// the secret's setting and what is wrong, never what it holds.

import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { isHeaderSafe } from '../qradar-console/settings.ts';

export interface ConsoleSecrets {
  readonly token: string;
  /** PEM certificates to trust for the console, besides the system's. */
  readonly ca?: string;
}

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

const secretString = async (client: SecretsManagerClient, arn: string, what: string): Promise<string> => {
  let value: string | undefined;
  try {
    ({ SecretString: value } = await client.send(new GetSecretValueCommand({ SecretId: arn })));
  } catch (error) {
    // The SDK's error names the cause (AccessDeniedException, ResourceNotFoundException...).
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new SecretError(`${what} could not be read from Secrets Manager: ${reason}`, { cause: error });
  }
  if (value === undefined) throw new SecretError(`${what} holds no text (SecretString)`);
  return value;
};

/** The token (the whole secret text, trimmed) and, with `caArn`, the CA bundle. */
export const readConsoleSecrets = async (
  client: SecretsManagerClient,
  tokenArn: string,
  caArn: string | undefined,
): Promise<ConsoleSecrets> => {
  const [tokenText, ca] = await Promise.all([
    secretString(client, tokenArn, "the console's token (consoleTokenSecretArn)"),
    caArn === undefined
      ? undefined
      : secretString(client, caArn, "the console's CA bundle (consoleCaSecretArn)"),
  ]);
  const token = tokenText.trim();
  if (token === '' || !isHeaderSafe(token)) {
    throw new SecretError(
      "the console's token (consoleTokenSecretArn) is empty or holds characters a header cannot carry",
    );
  }
  if (ca !== undefined && !ca.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SecretError("the console's CA bundle (consoleCaSecretArn) holds no PEM certificate");
  }
  return ca === undefined ? { token } : { token, ca };
};
