// The floor: the same GetItem as getRestore, with no middleware, validation, projection or
// authentication, as the shortest honest handler would write it. Built with the same esbuild
// options as the deployable bundle, it is what every figure of ours is compared with.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

export const createFloor =
  (client: DynamoDBDocumentClient, extra: Partial<GetCommand['input']> = {}) =>
  async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    const { Item } = await client.send(
      new GetCommand({
        TableName: process.env['RESTORES_TABLE'],
        Key: { id: Number(event.pathParameters?.['id']) },
        ...extra,
      }),
    );
    return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? {}) };
  };

const endpoint = process.env['DYNAMODB_ENDPOINT'];
export const floorClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient(endpoint ? { endpoint } : {}));
export const handler = createFloor(floorClient());
