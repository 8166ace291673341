import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { articleFromStreamRecord } from '../../../functions/alerts/fanout';

/** A stream record as Lambda delivers it (NEW_AND_OLD_IMAGES), for an item of Herald's table. */
function streamRecord(
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  item: Record<string, unknown> | undefined,
): DynamoDBRecord {
  return {
    eventID: '1',
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: '100000000000000000001',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
      ...(item
        ? { NewImage: marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue> }
        : {}),
    },
  };
}

const articleItem = {
  pk: 'ART#hello-world',
  sk: 'META',
  kind: 'article',
  id: 'hello-world',
  title: 'Hello <world> & "friends"',
  authorHandle: 'jdoe',
  authorName: 'Jane Doe',
  publishedAt: '2026-11-25T08:00:00.000Z',
  views: 0,
};

describe('articleFromStreamRecord', () => {
  it('returns the article of an INSERT of an article meta item', () => {
    // Act
    const article = articleFromStreamRecord(streamRecord('INSERT', articleItem));

    // Assess
    expect(article).toEqual({
      id: 'hello-world',
      title: 'Hello <world> & "friends"',
      authorHandle: 'jdoe',
      authorName: 'Jane Doe',
    });
  });

  it('ignores an update of the article (MODIFY): an edit never alerts again', () => {
    // Act / Assess
    expect(articleFromStreamRecord(streamRecord('MODIFY', { ...articleItem, views: 7 }))).toBeUndefined();
  });

  it.each([
    ['a removal', streamRecord('REMOVE', undefined)],
    ['the article body', streamRecord('INSERT', { ...articleItem, sk: 'BODY', kind: 'body' })],
    ['a subscription', streamRecord('INSERT', { pk: 'USER#1', sk: 'SUB#jdoe', kind: 'sub', userId: 1 })],
    [
      'the alert run itself',
      streamRecord('INSERT', { pk: 'ART#hello-world', sk: 'ALERTRUN', kind: 'alertrun' }),
    ],
    ['an article item without a title', streamRecord('INSERT', { ...articleItem, title: undefined })],
    ['an article published with alerts off', streamRecord('INSERT', { ...articleItem, silent: true })],
  ])('ignores %s', (_label, record) => {
    // Act / Assess
    expect(articleFromStreamRecord(record)).toBeUndefined();
  });
});
