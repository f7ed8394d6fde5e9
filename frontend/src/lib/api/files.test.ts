import { describe, it, expect, vi, afterEach } from 'vitest'
import {
  addFiles,
  chooseFiles,
  countFiles,
  fileDate,
  fileSize,
  isPdf,
  listFiles,
  listTrash,
  listUnmatched,
  matchFolders,
  sentByClient,
  setVisible,
  syncLabel,
  uploadPercent,
} from './files'
import type { FileView } from './types'

const w = window as unknown as Record<string, unknown>

afterEach(() => {
  delete w.go
})

describe('fileSize', () => {
  it.each([
    [0, '0 bytes'],
    [1, '1 byte'],
    [999, '999 bytes'],
    [1000, '1.0 kB'],
    [1_400_000, '1.4 MB'],
    [25_300_000, '25.3 MB'],
    [3_000_000_000, '3.0 GB'],
  ])('%i bytes is %s, as the portal shows it', (bytes, text) => expect(fileSize(bytes)).toBe(text))
})

describe('syncLabel', () => {
  const v = (over: Partial<FileView>) => ({ state: 'synced', error: '', sent: 0, size: 100, ...over }) as FileView
  it.each([
    [v({ state: 'synced' }), 'Synced'],
    [v({ state: 'waiting' }), 'Waiting to sync'],
    [v({ state: 'waiting', error: 'the copy has not finished' }), 'Waiting to sync: the copy has not finished'],
    [v({ state: 'uploading', sent: 42, size: 100 }), 'Uploading 42%'],
    [v({ state: 'uploading', sent: 999, size: 1000 }), 'Uploading 99%'],
    [v({ state: 'uploading', sent: 0, size: 0 }), 'Uploading 0%'],
    [v({ state: 'downloading' }), 'Downloading'],
    [v({ state: 'error', error: 'the portal is full' }), 'Error: the portal is full'],
    [v({ state: 'error' }), 'Error'],
    [v({ state: 'local' }), 'On this computer only'],
  ])('%o is %s', (view, text) => expect(syncLabel(view)).toBe(text))

  it('never shows more than 100% uploaded', () => {
    expect(uploadPercent({ sent: 150, size: 100 })).toBe(100)
  })
})

describe('file helpers', () => {
  it('tells files the client sent', () => {
    expect(sentByClient({ source: 'client', fromClient: false })).toBe(true)
    expect(sentByClient({ source: 'firm', fromClient: true })).toBe(true)
    expect(sentByClient({ source: 'firm', fromClient: false })).toBe(false)
  })

  it.each([
    [{ name: 'Return 2025.pdf' }, true],
    [{ name: 'SCAN.PDF' }, true],
    [{ name: 'Return 2025.pdf', trashedAt: '2026-03-02T10:00:00Z' }, false],
    [{ name: 'pdf.docx' }, false],
    [{ name: 'notes.pdf.txt' }, false],
  ])('%o can be sent for signatures: %s', (view, ok) => expect(isPdf(view)).toBe(ok))

  it('counts files and hides Go zero times', () => {
    expect(countFiles(1)).toBe('1 file')
    expect(countFiles(3)).toBe('3 files')
    expect(fileDate('0001-01-01T00:00:00Z')).toBe('')
    expect(fileDate(undefined)).toBe('')
    expect(fileDate('2026-03-01T10:00:00Z')).not.toBe('')
  })
})

describe('files wrappers', () => {
  it('call app.Files and turn null lists into []', async () => {
    const Files = {
      List: vi.fn().mockResolvedValue(null),
      Trash: vi.fn().mockResolvedValue(null),
      Add: vi.fn().mockResolvedValue(null),
      Choose: vi.fn().mockResolvedValue(null),
      SetVisible: vi.fn().mockRejectedValue('the client sent this file: they can always see it'),
    }
    w.go = { app: { Files } }

    expect(await listFiles('c1')).toEqual([])
    expect(await listTrash('c1')).toEqual([])
    expect(await addFiles('c1', ['/tmp/a.pdf'], false)).toEqual([])
    expect(Files.Add).toHaveBeenCalledWith('c1', ['/tmp/a.pdf'], false)
    expect(await chooseFiles('c1', true)).toEqual([])
    expect(Files.Choose).toHaveBeenCalledWith('c1', true)
    await expect(setVisible('f1', true)).rejects.toBe('the client sent this file: they can always see it')
  })

  it('list the library folders waiting for review and send the decisions as given', async () => {
    const Unmatched = vi.fn().mockResolvedValueOnce(null).mockResolvedValueOnce([
      { folder: 'Doe, Jane', clientId: 'c1', clientName: 'Jane Doe', files: 12 },
    ])
    const Match = vi.fn().mockResolvedValueOnce(undefined).mockRejectedValueOnce('the folder "Old" is not in the library any more')
    w.go = { app: { Files: { Unmatched, Match } } }

    expect(await listUnmatched()).toEqual([])
    expect(await listUnmatched()).toEqual([{ folder: 'Doe, Jane', clientId: 'c1', clientName: 'Jane Doe', files: 12 }])
    const decisions = [{ folder: 'Doe, Jane', clientId: 'c1' }, { folder: 'Old', clientId: '' }]
    await expect(matchFolders(decisions)).resolves.toBeUndefined()
    expect(Match).toHaveBeenCalledWith(decisions)
    await expect(matchFolders(decisions)).rejects.toBe('the folder "Old" is not in the library any more')
  })
})
