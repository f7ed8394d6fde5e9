// Stubs for the portal API in component tests that do not test it, keeping its pure helpers.
import { vi } from 'vitest'

export async function portalModuleStub(importOriginal: () => Promise<unknown>) {
  const real = (await importOriginal()) as Record<string, unknown>
  return {
    ...real,
    portalPeople: vi.fn(async () => []),
    portalActivity: vi.fn(async () => []),
    invite: vi.fn(async () => {}),
    resendInvitation: vi.fn(async () => {}),
    removeAccess: vi.fn(async () => {}),
    clientPortals: vi.fn(async () => []),
    inviteBulk: vi.fn(async () => ({ queued: 0, skipped: [] })),
    inviteTemplates: vi.fn(async () => []),
    saveInviteTemplate: vi.fn(async () => ({})),
    deleteInviteTemplate: vi.fn(async () => {}),
  }
}

// Stubs for the files API (the Files tab) in component tests that do not test it, keeping its pure helpers.
export async function filesModuleStub(importOriginal: () => Promise<unknown>) {
  const real = (await importOriginal()) as Record<string, unknown>
  return {
    ...real,
    listFiles: vi.fn(async () => []),
    listTrash: vi.fn(async () => []),
    addFiles: vi.fn(async () => []),
    chooseFiles: vi.fn(async () => []),
    setVisible: vi.fn(async () => ({})),
    renameFile: vi.fn(async () => ({})),
    deleteFile: vi.fn(async () => {}),
    restoreFile: vi.fn(async () => ({})),
    openFile: vi.fn(async () => {}),
    revealFile: vi.fn(async () => {}),
    openClientFolder: vi.fn(async () => {}),
    listUnmatched: vi.fn(async () => []),
    matchFolders: vi.fn(async () => {}),
  }
}

// Stubs for the eSign API in component tests, keeping its pure helpers (states in words).
export async function esignModuleStub(importOriginal: () => Promise<unknown>) {
  const real = (await importOriginal()) as Record<string, unknown>
  return {
    ...real,
    openDocument: vi.fn(async () => ({ fileId: '', name: '', pages: [], pdf: '' })),
    suggestedRecipients: vi.fn(async () => []),
    // Go's api.CheckEmail decides; its own tests hold the rule. This stand-in refuses what
    // the screens' tests type as a bad address.
    checkEmail: vi.fn(async (e: string) => (/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(e) ? '' : `"${e}" is not a valid email address`)),
    defaultMessage: vi.fn(async () => ({ subject: '', message: '' })),
    saveDraft: vi.fn(async () => ({})),
    sendPacket: vi.fn(async () => ({})),
    getPacket: vi.fn(async () => ({})),
    listPackets: vi.fn(async () => []),
    voidPacket: vi.fn(async () => ({})),
    discardDraft: vi.fn(async () => {}),
  }
}
