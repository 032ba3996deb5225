import { expect, it } from 'vitest';
import { formatOrdinal } from '../../src/domain/format-ordinal.js';

it.each([
  [1, '1st'],
  [2, '2nd'],
  [3, '3rd'],
  [4, '4th'],
  [11, '11th'],
  [12, '12th'],
  [13, '13th'],
  [21, '21st'],
  [22, '22nd'],
  [37, '37th'],
  [101, '101st'],
  [111, '111th'],
  [112, '112th'],
])('English %i → %s', (n, expected) => {
  expect(formatOrdinal(n, { style: 'english' })).toBe(expected);
});

it.each([
  [1, '1-ci'],
  [3, '3-cü'],
  [4, '4-cü'],
  [6, '6-cı'],
  [9, '9-cu'],
  [10, '10-cu'],
  [20, '20-ci'],
  [30, '30-cu'],
  [34, '34-cü'],
  [35, '35-ci'],
  [36, '36-cı'],
  [37, '37-ci'],
  [40, '40-cı'],
  [60, '60-cı'],
  [90, '90-cı'],
  [100, '100-cü'],
  [108, '108-ci'],
  [109, '109-cu'],
  [110, '110-cu'],
  [1000, '1000-ci'],
])('Azerbaijani %i → %s (vowel harmony with the last spoken word)', (n, expected) => {
  expect(formatOrdinal(n, { style: 'azerbaijani' })).toBe(expected);
});

it('uses a fixed suffix for other languages', () => {
  expect(formatOrdinal(37, { style: 'suffix', suffix: '.' })).toBe('37.');
});
