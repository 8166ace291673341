/**
 * The shape of a bot token from @BotFather: the bot's numeric id, a colon, and at least 30
 * characters of [A-Za-z0-9_-]. The one pattern: the runtime's secret check and the deploy-time
 * webhook registrar both use it, so a token one accepts the other cannot refuse.
 */
export const BOT_TOKEN_PATTERN = /^\d{1,20}:[A-Za-z0-9_-]{30,}$/;
