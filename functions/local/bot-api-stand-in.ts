/**
 * The Bot API stand-in's old address, kept so callers need not change their imports. The code
 * lives in `telegram-stand-in/`: the Bot API side in `bot-api/`, the user side in `user/`.
 */
export * from './telegram-stand-in';
