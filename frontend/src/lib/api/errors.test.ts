import { describe, it, expect } from 'vitest'
import { errorMessage } from './errors'

describe('errorMessage', () => {
  it('handles Go error strings, Error objects and odd values', () => {
    expect(errorMessage('wrong email or password')).toBe('Wrong email or password')
    expect(errorMessage('ann@x.test is already used by Ann')).toBe('ann@x.test is already used by Ann')
    expect(errorMessage(new Error('boom'))).toBe('boom')
    expect(errorMessage({ message: 'from object' })).toBe('from object')
    expect(errorMessage('')).toBe('Something went wrong.')
    expect(errorMessage(undefined)).toBe('Something went wrong.')
    expect(errorMessage(42)).toBe('42')
  })
})
