/**
 * Lambda entry point of the channel poster: the table's stream, filtered by its event source to
 * new articles, card revisions (edits) and deleted articles (CHANNEL_STREAM_FILTER_PATTERNS in
 * functions/alerts/stream-filter.ts), posts, edits and deletes the publisher's channel posts.
 * functions/alerts/channel-poster.ts does the work; the local runtime's stream reader calls the
 * same handler.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { Telegram } from 'telegraf';
import {
  ChannelPoster,
  createChannelStreamHandler,
  telegrafChannelTransport,
} from '../alerts/channel-poster';
import { channelPosterRate, Pacer } from '../alerts/pacer';
import { channelPostView, channelRemovedView } from '../bot/channel-card';
import { loadConfig } from '../config';
import { createI18n, createTranslator, DEFAULT_LOCALE } from '../i18n';
import { createLogger } from '../logger';
import { getBotToken } from '../secrets';
import { ArticleRepository } from '../store/article-repository';
import { ChannelRepository } from '../store/channel-repository';
import { createDocumentClient } from '../store/client';

const config = loadConfig();
const logger = createLogger(config);
const doc = createDocumentClient({ region: config.region, endpoint: config.dynamoEndpoint });
// One more sender beside the alert senders, with its own share of the one budget: the senders
// pace at the rest (channelPosterRate, lib/send-capacity.ts), so the bot's sum stays under it.
// It never pays: its share comes out of the free rate.
const pacer = new Pacer({ ratePerSecond: channelPosterRate(config.alertFreeRatePerSecond) });
let built: Promise<ReturnType<typeof createChannelStreamHandler>> | undefined;

async function build(): Promise<ReturnType<typeof createChannelStreamHandler>> {
  const token = await getBotToken(config);
  // The catalogues shipped parsed beside the bundle (lib/constructs/herald-function.ts, `catalogues`).
  const t = createTranslator(DEFAULT_LOCALE, createI18n({ logger }));
  const poster = new ChannelPoster({
    channels: new ChannelRepository(doc, config.tableName),
    articles: new ArticleRepository(doc, config.tableName),
    transport: telegrafChannelTransport(new Telegram(token, { apiRoot: config.telegramApiRoot })),
    pacer,
    logger,
    adminIds: config.adminIds,
    renderPost: (meta) => channelPostView(meta, config.botUsername, t),
    renderRemoved: (title) => channelRemovedView(title, t),
    options: { requestTimeoutMs: 5_000 },
  });
  return createChannelStreamHandler(poster, logger);
}

/** DynamoDB stream batch → channel posts, edits and deletes; partial failures by sequence number. */
export const handler = async (
  event: DynamoDBStreamEvent,
  context: Context,
): Promise<DynamoDBBatchResponse> => {
  let run: Awaited<ReturnType<typeof build>>;
  try {
    built ??= build();
    run = await built;
  } catch (err) {
    // The token secret is not readable yet: build again on the next batch.
    built = undefined;
    throw err;
  }
  return run(event, context);
};
