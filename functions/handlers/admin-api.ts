/**
 * Lambda entry point of the admin HTTP API (API Gateway HTTP API, payload v2, routes under
 * `/admin/`). An adapter: config, logger, DynamoDB client and the API are built once per cold
 * start; the admin secret (a bare key or a keyring of named, scoped keys) is read from Secrets
 * Manager and its keys cached for a minute (admin/admin-keys.ts): a key added to the secret works
 * at once, a key removed from it stops within a minute, without a deploy.
 *
 * The admin API only writes: the table's stream starts the alert fan-out of a created article.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createAdminApi, fromHttpApiEvent } from '../admin/admin-api';
import { createStatsReader } from '../admin/stats';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { getAdminApiKey } from '../secrets';
import { ChannelRepository } from '../store/channel-repository';
import { createDocumentClient } from '../store/client';
import { createStore } from '../store/index';

const config = loadConfig();
const logger = createLogger(config, 'herald-admin');
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
const store = createStore(doc, config.tableName);

const api = createAdminApi({
  store,
  stats: createStatsReader({ doc, tableName: config.tableName, articles: store.articles }),
  getApiKey: () => getAdminApiKey(config),
  logger,
  channels: new ChannelRepository(doc, config.tableName),
});

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return api(fromHttpApiEvent(event));
}
