/**
 * The floor of the webhook's init: the SDK packages it loads at module scope, and the document
 * client it builds there (functions/store/client.ts), with nothing of Telegraf or Herald.
 * Bundled by bench/cold-start.ts with the webhook's own esbuild options.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }), {
  marshallOptions: { removeUndefinedValues: true },
});
