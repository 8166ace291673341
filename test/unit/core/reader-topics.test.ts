import { TOPIC_NAME_MAX, topicName } from '../../../functions/core/reader-topics';

describe('topicName', () => {
  it('cuts a name to 128 UTF-16 units without splitting a character', () => {
    // Prepare: 127 letters, then a character of two UTF-16 units
    const name = `${'a'.repeat(127)}𝒜b`;

    // Act
    const got = topicName({ handle: 'x', name });

    // Assess
    expect(got).toBe('a'.repeat(127));
    expect(got.length).toBeLessThanOrEqual(TOPIC_NAME_MAX);
  });

  it('tidies spaces and falls back to the handle for a blank name', () => {
    expect(topicName({ handle: 'jdoe', name: '  Dr.\n Jane   Doe ' })).toBe('Dr. Jane Doe');
    expect(topicName({ handle: 'jdoe', name: ' \t ' })).toBe('jdoe');
  });
});
