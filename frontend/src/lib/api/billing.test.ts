import { describe, it, expect } from 'vitest'
import { money, parseMoney } from './billing'

describe('money', () => {
  it.each([
    [0, '$0.00'],
    [5, '$0.05'],
    [123456, '$1,234.56'],
    [-2500, '-$25.00'],
  ])('%i cents is %s', (cents, text) => expect(money(cents)).toBe(text))
})

describe('parseMoney', () => {
  it.each([
    ['125', 12500],
    ['125.5', 12550],
    ['$1,234.56', 123456],
    [' 0.05 ', 5],
  ])('%s is %i cents', (text, cents) => expect(parseMoney(text)).toBe(cents))
  it.each(['', 'abc', '1.234', '-5', '1e3'])('%s is not an amount', (text) => expect(parseMoney(text)).toBeNaN())
})
