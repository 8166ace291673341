/**
 * A reader's delivery settings, kept on their profile item (`USER#<id>` / `PROFILE`) beside the
 * names and the `active` flag: time zone, digest hour and weekday, default mode, quiet hours.
 * The fan-out reads them in batches (BatchGetItem, 100 readers a call) to decide quiet hours
 * and digest times; the bot reads and writes one reader's at a time.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  DEFAULT_DIGEST_HOUR,
  DEFAULT_DIGEST_WEEKDAY,
  isDeliveryMode,
  type ReaderSettings,
  type ReaderSettingsPatch,
} from '../core/delivery';
import type { ReaderSettingsPort } from '../core/ports';
import { batchGetAll, conditionHolds, type Item } from './dynamo';
import { KIND, userKey } from './keys';

const SETTINGS_ATTRIBUTES = [
  'timeZone',
  'digestHour',
  'digestWeekday',
  'defaultMode',
  'quietStart',
  'quietEnd',
  'quietAction',
] as const;

function intIn(value: unknown, min: number, max: number): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? value
    : undefined;
}

/** The settings stored on a profile item (or none), defaults filled in; bad values read as unset. */
function settingsOf(item: Item | undefined): ReaderSettings {
  const mode = item?.['defaultMode'];
  const zone = item?.['timeZone'];
  const start = intIn(item?.['quietStart'], 0, 1439);
  const end = intIn(item?.['quietEnd'], 0, 1439);
  const action = item?.['quietAction'];
  return {
    ...(typeof zone === 'string' ? { timeZone: zone } : {}),
    digestHour: intIn(item?.['digestHour'], 0, 23) ?? DEFAULT_DIGEST_HOUR,
    digestWeekday: intIn(item?.['digestWeekday'], 1, 7) ?? DEFAULT_DIGEST_WEEKDAY,
    defaultMode: isDeliveryMode(mode) ? mode : 'instant',
    ...(start !== undefined && end !== undefined
      ? { quiet: { start, end, action: action === 'hold' ? 'hold' : 'silent' } }
      : {}),
  };
}

/** {@link ReaderSettingsPort} on the profile items of Herald's table. */
export class ReaderSettingsRepository implements ReaderSettingsPort {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** One reader's settings (GetItem, strongly consistent: right after a change). */
  async getSettings(userId: number): Promise<ReaderSettings> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        ProjectionExpression: SETTINGS_ATTRIBUTES.map((a) => `#${a}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(SETTINGS_ATTRIBUTES.map((a) => [`#${a}`, a])),
        ConsistentRead: true,
      }),
    );
    return settingsOf(out.Item);
  }

  /** What the reader's language is to be negotiated from (their `/language` choice, Telegram's code). */
  async localeHints(userId: number): Promise<{ stored?: string; telegramLanguageCode?: string }> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        ProjectionExpression: '#language, languageCode',
        ExpressionAttributeNames: { '#language': 'language' },
      }),
    );
    const stored = out.Item?.['language'];
    const code = out.Item?.['languageCode'];
    return {
      ...(typeof stored === 'string' ? { stored } : {}),
      ...(typeof code === 'string' ? { telegramLanguageCode: code } : {}),
    };
  }

  /**
   * Several readers' settings: BatchGetItem of their profiles, 100 a call, eventually
   * consistent (a change made a second ago may apply from the next article). ~0.5 RCU per
   * reader (a profile is well under 4 KB).
   */
  async getManySettings(userIds: readonly number[]): Promise<Map<number, ReaderSettings>> {
    const items = await batchGetAll(
      this.doc,
      this.tableName,
      userIds.map((id) => userKey(id)),
    );
    const byId = new Map<number, Item>();
    for (const item of items) byId.set(Number(String(item['pk']).slice('USER#'.length)), item);
    return new Map(userIds.map((id) => [id, settingsOf(byId.get(id))]));
  }

  /**
   * Changes some settings in one UpdateItem (creating the profile if the reader was never
   * seen). Validated by the caller (core/delivery.ts parses zones, hours and modes).
   */
  async updateSettings(userId: number, patch: ReaderSettingsPatch): Promise<ReaderSettings> {
    const set: string[] = ['#kind = :user', '#id = :id'];
    const remove: string[] = [];
    const values: Item = { ':user': KIND.user, ':id': userId };
    const names: Record<string, string> = { '#kind': 'kind', '#id': 'id' };
    // Placeholders for every name: `timeZone` is one of DynamoDB's reserved words.
    const put = (name: string, value: unknown) => {
      set.push(`#${name} = :${name}`);
      names[`#${name}`] = name;
      values[`:${name}`] = value;
    };
    if (patch.timeZone !== undefined) put('timeZone', patch.timeZone);
    if (patch.digestHour !== undefined) put('digestHour', patch.digestHour);
    if (patch.digestWeekday !== undefined) put('digestWeekday', patch.digestWeekday);
    if (patch.defaultMode !== undefined) put('defaultMode', patch.defaultMode);
    if (patch.quiet === null) remove.push('quietStart', 'quietEnd', 'quietAction');
    else if (patch.quiet !== undefined) {
      put('quietStart', patch.quiet.start);
      put('quietEnd', patch.quiet.end);
      put('quietAction', patch.quiet.action);
    }
    for (const r of remove) names[`#${r}`] = r;
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: userKey(userId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.map((r) => `#${r}`).join(', ')}` : ''}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return settingsOf(out.Attributes);
  }

  /**
   * Claims the one-time question about the reader's time zone: true exactly once, for a reader
   * who has no zone and was never asked (then `zoneAsked` is set). One conditional UpdateItem
   * (`attribute_not_exists(zoneAsked) AND attribute_not_exists(timeZone)`), so a double tap or a
   * redelivery asks once; 1 WCU, a failed condition included.
   */
  async claimZoneQuestion(userId: number): Promise<boolean> {
    return conditionHolds(() =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: userKey(userId),
          UpdateExpression: 'SET #kind = :user, #id = :id, zoneAsked = :yes',
          ConditionExpression: 'attribute_not_exists(zoneAsked) AND attribute_not_exists(#timeZone)',
          ExpressionAttributeNames: { '#kind': 'kind', '#id': 'id', '#timeZone': 'timeZone' },
          ExpressionAttributeValues: { ':user': KIND.user, ':id': userId, ':yes': true },
        }),
      ),
    );
  }
}
