/**
 * The webhook registrar custom resource against the Bot API stand-in (Telegram's side) and a
 * local Secrets Manager endpoint (the SDK's real GetSecretValue call over 127.0.0.1).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type {
  CloudFormationCustomResourceCreateEvent,
  CloudFormationCustomResourceDeleteEvent,
  CloudFormationCustomResourceEvent,
  CloudFormationCustomResourceUpdateEvent,
} from 'aws-lambda';
import {
  createRegistrarHandler,
  PHYSICAL_RESOURCE_ID,
  type RegistrarLogger,
} from '../../../functions/handlers/webhook-registrar';
import { type BotApiStandIn, createBotApiStandIn } from '../../../functions/local/telegram-stand-in';
import { createSecretReader } from '../../../functions/secrets';
import { ALLOWED_UPDATES, TelegramApiError } from '../../../functions/telegram/register-webhook';

const TOKEN = '7000000001:FAKE-registrar-token-for-tests-00001';
const BOT_TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:BotTokenSecret-AbCdEf';
const WEBHOOK_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:WebhookSecret-GhIjKl';
const WEBHOOK_SECRET = 'a'.repeat(20) + 'B9'.repeat(22);
/** What CloudFormation's GenerateSecretString leaves in the token secret before the admin acts. */
const PLACEHOLDER = 'Xq7vR2mKp9LwT4sZ8yN3bH6cJ1fD5gA0';
const WEBHOOK_URL = 'https://127.0.0.1:8443/telegram/webhook';

/**
 * Just enough of Secrets Manager's JSON protocol for GetSecretValue, so the registrar's SDK
 * client makes its real call over HTTP; values can be changed between tests.
 */
class LocalSecretsManager {
  readonly values = new Map<string, string>();
  readonly requests: string[] = [];
  private server: Server | undefined;

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
    this.requests.push(`${target} ${body.SecretId ?? ''}`);
    const value = body.SecretId === undefined ? undefined : this.values.get(body.SecretId);
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    if (target !== 'secretsmanager.GetSecretValue' || value === undefined) {
      res.statusCode = 400;
      res.end(
        JSON.stringify({
          __type: 'ResourceNotFoundException',
          message: "Secrets Manager can't find the specified secret.",
        }),
      );
      return;
    }
    res.end(JSON.stringify({ ARN: body.SecretId, Name: 'secret', SecretString: value, VersionId: 'v1' }));
  }
}

/** Records every log line, so tests can check what an admin would read (and what must never appear). */
class RecordingLogger implements RegistrarLogger {
  readonly lines: string[] = [];
  info(message: string, ...extra: Record<string, unknown>[]): void {
    this.lines.push(`INFO ${message} ${JSON.stringify(extra)}`);
  }
  warn(message: string, ...extra: Record<string, unknown>[]): void {
    this.lines.push(`WARN ${message} ${JSON.stringify(extra)}`);
  }
}

const properties = {
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
  WebhookUrl: WEBHOOK_URL,
  BotTokenSecretArn: BOT_TOKEN_ARN,
  WebhookSecretArn: WEBHOOK_SECRET_ARN,
  ConfigHash: 'abc',
  DeployedAt: '2026-11-25T00:00:00.000Z',
};

const common = {
  ServiceToken: properties.ServiceToken,
  ResponseURL: 'https://cloudformation-custom-resource-response.example/',
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/Herald-dev/1',
  RequestId: 'req-1',
  LogicalResourceId: 'RegistrationWebhook',
  ResourceType: 'Custom::TelegramWebhook',
};

function createEvent(props: Record<string, string> = properties): CloudFormationCustomResourceCreateEvent {
  return {
    ...common,
    RequestType: 'Create',
    ResourceProperties: { ...props, ServiceToken: properties.ServiceToken },
  };
}

function updateEvent(physicalId = PHYSICAL_RESOURCE_ID): CloudFormationCustomResourceUpdateEvent {
  return {
    ...common,
    RequestType: 'Update',
    PhysicalResourceId: physicalId,
    ResourceProperties: properties,
    OldResourceProperties: { ...properties, WebhookUrl: 'https://127.0.0.1:8443/old' },
  };
}

function deleteEvent(): CloudFormationCustomResourceDeleteEvent {
  return {
    ...common,
    RequestType: 'Delete',
    PhysicalResourceId: PHYSICAL_RESOURCE_ID,
    ResourceProperties: properties,
  };
}

describe('webhook registrar custom resource', () => {
  let standIn: BotApiStandIn | undefined;
  let secrets: LocalSecretsManager | undefined;
  let apiRoot = '';
  let secretsEndpoint = '';
  let logger: RecordingLogger;
  let handle: (
    event: CloudFormationCustomResourceEvent,
  ) => ReturnType<ReturnType<typeof createRegistrarHandler>>;

  beforeAll(async () => {
    standIn = createBotApiStandIn({
      token: TOKEN,
      botInfo: { id: 7000000001, is_bot: true, first_name: 'Herald', username: 'HeraldDemoBot' },
    });
    secrets = new LocalSecretsManager();
    apiRoot = await standIn.start();
    secretsEndpoint = await secrets.start();
  });

  afterAll(async () => {
    await standIn?.stop();
    await secrets?.stop();
  });

  beforeEach(() => {
    standIn?.reset();
    secrets?.values.clear();
    secrets?.values.set(BOT_TOKEN_ARN, TOKEN);
    secrets?.values.set(WEBHOOK_SECRET_ARN, WEBHOOK_SECRET);
    logger = new RecordingLogger();
    const client = new SecretsManagerClient({
      endpoint: secretsEndpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    handle = createRegistrarHandler({
      readSecret: createSecretReader({ client, fresh: true }),
      apiRoot,
      logger,
    });
  });

  /** Methods the stand-in saw, in order. */
  const methods = (): string[] => standIn?.calls.map((call) => call.method) ?? [];

  /** The stand-in's own view of the webhook, through the Bot API as an admin's curl would see it. */
  async function webhookInfo(): Promise<{ url: string; allowed_updates?: string[] }> {
    const response = await fetch(`${apiRoot}/bot${TOKEN}/getWebhookInfo`);
    const body = (await response.json()) as { result: { url: string; allowed_updates?: string[] } };
    return body.result;
  }

  it('on Create sets the webhook with the URL, secret token and allowed updates, then the commands', async () => {
    // Prepare: the token secret holds a real token (beforeEach).

    // Act
    const result = await handle(createEvent());

    // Assess
    expect(result).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID, Data: { Registered: 'true' } });
    // The default (English) menu, then one per other language.
    expect(methods()).toEqual([
      'setWebhook',
      'setMyCommands',
      'setMyCommands',
      'setMyCommands',
      'setMyCommands',
    ]);
    const [setWebhook] = standIn?.callsTo('setWebhook') ?? [];
    expect(setWebhook?.ok).toBe(true);
    expect(setWebhook?.params).toMatchObject({
      url: WEBHOOK_URL,
      secret_token: WEBHOOK_SECRET,
      allowed_updates: [
        'message',
        'callback_query',
        'inline_query',
        'chosen_inline_result',
        'my_chat_member',
      ],
      max_connections: 40,
      drop_pending_updates: true,
    });
    const menus = standIn?.callsTo('setMyCommands') ?? [];
    expect(menus.map((c) => c.ok)).toEqual([true, true, true, true]);
    expect(menus.map((c) => c.params.language_code)).toEqual([undefined, 'ar', 'ur', 'ru']);
    for (const menu of menus) {
      const commands = ((menu.params.commands ?? []) as { command: string }[]).map((c) => c.command);
      expect(commands).toEqual([
        'start',
        'help',
        'latest',
        'authors',
        'author',
        'search',
        'subscriptions',
        'settings',
        'tag',
        'tags',
        'shared',
        'language',
        'privacy',
      ]);
    }
    const arabic = (menus[1]?.params.commands ?? []) as { command: string; description: string }[];
    expect(arabic.find((c) => c.command === 'latest')?.description).toBe('أحدث المقالات، الأحدث أولًا');
    expect(await webhookInfo()).toMatchObject({ url: WEBHOOK_URL, allowed_updates: [...ALLOWED_UPDATES] });
    expect(secrets?.requests).toEqual([
      `secretsmanager.GetSecretValue ${BOT_TOKEN_ARN}`,
      `secretsmanager.GetSecretValue ${WEBHOOK_SECRET_ARN}`,
    ]);
  });

  it('on Update keeps pending updates and the physical id', async () => {
    // Prepare
    const event = updateEvent('herald-telegram-webhook');

    // Act
    const result = await handle(event);

    // Assess
    expect(result).toEqual({ PhysicalResourceId: 'herald-telegram-webhook', Data: { Registered: 'true' } });
    expect(standIn?.callsTo('setWebhook')[0]?.params).toMatchObject({
      url: WEBHOOK_URL,
      drop_pending_updates: false,
    });
    expect(standIn?.callsTo('setMyCommands')).toHaveLength(4);
  });

  it('trims a token pasted with a trailing newline', async () => {
    // Prepare
    secrets?.values.set(BOT_TOKEN_ARN, `${TOKEN}\n`);

    // Act
    const result = await handle(updateEvent());

    // Assess
    expect(result.Data.Registered).toBe('true');
    expect(standIn?.callsTo('setWebhook')[0]?.ok).toBe(true);
  });

  it.each([
    ['the generated placeholder', PLACEHOLDER],
    ['an empty secret', ''],
    ['a token without its bot id', 'FAKE-registrar-token-for-tests-00001'],
  ])(
    'with %s in the token secret calls nothing, succeeds with Registered=false and says what to do',
    async (_name, value) => {
      // Prepare
      secrets?.values.set(BOT_TOKEN_ARN, value);

      // Act
      const result = await handle(createEvent());

      // Assess
      expect(result).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID, Data: { Registered: 'false' } });
      expect(standIn?.calls).toEqual([]);
      expect(logger.lines).toHaveLength(1);
      expect(logger.lines[0]).toContain(
        `Bot token not set: put it in secret ${BOT_TOKEN_ARN} and run \`npx cdk deploy\` again`,
      );
      if (value !== '') expect(logger.lines.join('\n')).not.toContain(value);
    },
  );

  it("fails with Telegram's description when Telegram rejects the token (401)", async () => {
    // Prepare: a well-formed token the Bot API does not know.
    const wrongToken = '7000000002:FAKE-another-bots-token-for-tests-02';
    secrets?.values.set(BOT_TOKEN_ARN, wrongToken);

    // Act
    const outcome = handle(createEvent());

    // Assess
    await expect(outcome).rejects.toThrow(TelegramApiError);
    await expect(outcome).rejects.toThrow('Telegram setWebhook failed (401): Unauthorized');
    const error = (await outcome.catch((e: unknown) => e)) as TelegramApiError;
    expect(error.errorCode).toBe(401);
    expect(error.message).not.toContain(wrongToken);
    expect(standIn?.callsTo('setWebhook')[0]).toMatchObject({ ok: false, errorCode: 401 });
    expect(standIn?.callsTo('setMyCommands')).toEqual([]);
  });

  it("fails with Telegram's description on a 400 and does not go on to setMyCommands", async () => {
    // Prepare
    standIn?.injectFault({
      method: 'setWebhook',
      errorCode: 400,
      description: 'Bad Request: bad webhook: Failed to resolve host: Name or service not known',
    });

    // Act
    const outcome = handle(createEvent());

    // Assess
    await expect(outcome).rejects.toThrow(
      'Telegram setWebhook failed (400): Bad Request: bad webhook: Failed to resolve host: Name or service not known',
    );
    expect(methods()).toEqual(['setWebhook']);
  });

  it('fails when setMyCommands is rejected after the webhook was set', async () => {
    // Prepare
    standIn?.injectFault({
      method: 'setMyCommands',
      errorCode: 400,
      description: 'Bad Request: BOT_COMMAND_INVALID',
    });

    // Act
    const outcome = handle(updateEvent());

    // Assess
    await expect(outcome).rejects.toThrow(
      'Telegram setMyCommands failed (400): Bad Request: BOT_COMMAND_INVALID',
    );
  });

  it('on Delete deletes the webhook', async () => {
    // Prepare: a webhook is set.
    await handle(createEvent());
    standIn?.calls.splice(0);

    // Act
    const result = await handle(deleteEvent());

    // Assess
    expect(result).toEqual({ PhysicalResourceId: PHYSICAL_RESOURCE_ID, Data: { Registered: 'false' } });
    expect(methods()).toEqual(['deleteWebhook']);
    expect(standIn?.callsTo('deleteWebhook')[0]?.params).toMatchObject({ drop_pending_updates: false });
    expect((await webhookInfo()).url).toBe('');
  });

  it('on Delete with the placeholder token calls nothing', async () => {
    // Prepare
    secrets?.values.set(BOT_TOKEN_ARN, PLACEHOLDER);

    // Act
    const result = await handle(deleteEvent());

    // Assess
    expect(result.Data.Registered).toBe('false');
    expect(standIn?.calls).toEqual([]);
  });

  it('on Delete does not fail the stack when Telegram refuses, but logs why', async () => {
    // Prepare
    standIn?.injectFault({ method: 'deleteWebhook', errorCode: 401, description: 'Unauthorized' });

    // Act
    const result = await handle(deleteEvent());

    // Assess
    expect(result.Data.Registered).toBe('false');
    expect(logger.lines.join('\n')).toContain('Telegram deleteWebhook failed (401): Unauthorized');
  });

  it('names a missing property instead of calling Telegram', async () => {
    // Prepare
    const { WebhookUrl: _omitted, ...withoutUrl } = properties;

    // Act
    const outcome = handle(createEvent(withoutUrl));

    // Assess
    await expect(outcome).rejects.toThrow('Custom resource property WebhookUrl is missing');
    expect(standIn?.calls).toEqual([]);
  });

  it('surfaces a missing secret as an error', async () => {
    // Prepare
    secrets?.values.delete(WEBHOOK_SECRET_ARN);

    // Act
    const outcome = handle(createEvent());

    // Assess
    await expect(outcome).rejects.toThrow("Secrets Manager can't find the specified secret.");
    expect(standIn?.callsTo('setWebhook')).toEqual([]);
  });

  it('never logs the token or the webhook secret', async () => {
    // Prepare
    standIn?.injectFault({ method: 'deleteWebhook', errorCode: 500, description: 'Internal Server Error' });

    // Act
    await handle(createEvent());
    await handle(updateEvent());
    await handle(deleteEvent());

    // Assess
    expect(logger.lines.length).toBeGreaterThanOrEqual(3);
    const logged = logger.lines.join('\n');
    expect(logged).not.toContain(TOKEN);
    expect(logged).not.toContain(TOKEN.split(':')[1]);
    expect(logged).not.toContain(WEBHOOK_SECRET);
  });
});
