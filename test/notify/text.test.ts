import { describe, expect, it } from '@jest/globals';
import { codePointLength, redactSecrets, truncate } from '../../shared/notify/text.js';

describe('truncate', () => {
  it('leaves text within the limit unchanged', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('🚨'.repeat(10), 10)).toBe('🚨'.repeat(10));
  });

  it('cuts by code points and ends with an ellipsis inside the limit', () => {
    const out = truncate('a'.repeat(2000), 1024);
    expect(codePointLength(out)).toBe(1024);
    expect(out).toBe('a'.repeat(1023) + '…');
  });

  it('never splits a surrogate pair', () => {
    // Each 🚨 is one code point but two UTF-16 units; a UTF-16 cut could leave half of one.
    const out = truncate('x' + '🚨'.repeat(1100), 1024);
    expect(out.isWellFormed()).toBe(true);
    expect(codePointLength(out)).toBe(1024);
    expect(out).toBe('x' + '🚨'.repeat(1022) + '…');
  });

  it('keeps ⚠️ (sign + variation selector) and ZWJ sequences whole', () => {
    const warn = '⚠️'; // U+26A0 U+FE0F: two code points
    const title = truncate(warn.repeat(200), 250);
    expect(codePointLength(title)).toBeLessThanOrEqual(250);
    expect(title).toBe(warn.repeat(124) + '…');

    const dev = '👩‍💻'; // three code points joined by ZWJ
    const msg = truncate('a'.repeat(1021) + dev + ' tail', 1024);
    expect(msg).toBe('a'.repeat(1021) + '…');
  });

  it('does not leave a space before the ellipsis', () => {
    expect(truncate('word '.repeat(10), 11)).toBe('word word…');
  });
});

describe('redactSecrets', () => {
  it('replaces every occurrence of a secret', () => {
    expect(redactSecrets('a xoxb-123456 b xoxb-123456', ['xoxb-123456', undefined])).toBe('a [REDACTED] b [REDACTED]');
  });
});
