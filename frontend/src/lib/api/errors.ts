// Turns anything a Wails call can reject with into text for the user.
// Go errors arrive as plain strings; JS failures arrive as Error objects.

export function errorMessage(e: unknown): string {
  if (typeof e === 'string') return sentence(e.trim()) || 'Something went wrong.'
  if (e instanceof Error) return e.message || 'Something went wrong.'
  if (e && typeof e === 'object' && 'message' in e && typeof (e as { message: unknown }).message === 'string') {
    return (e as { message: string }).message || 'Something went wrong.'
  }
  if (e === undefined || e === null) return 'Something went wrong.'
  return String(e)
}

// Go words errors in lower case; start a sentence with a capital unless the first word is
// an address or a path, which must stay as typed.
function sentence(s: string): string {
  const first = s.split(/\s/, 1)[0]
  if (/[@/:.]/.test(first)) return s
  return s.charAt(0).toUpperCase() + s.slice(1)
}
