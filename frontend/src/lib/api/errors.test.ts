import { describe, it, expect } from 'vitest'
import { errorMessage } from './errors'

describe('errorMessage', () => {
  it('handles Go error strings, Error objects and odd values', () => {
    expect(errorMessage('invalid email address: x')).toBe('invalid email address: x')
    expect(errorMessage(new Error('boom'))).toBe('boom')
    expect(errorMessage({ message: 'from object' })).toBe('from object')
    expect(errorMessage('')).toBe('Something went wrong.')
    expect(errorMessage(undefined)).toBe('Something went wrong.')
    expect(errorMessage(42)).toBe('42')
  })
})
