import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { svelteTesting } from '@testing-library/svelte/vite'
import { writeFileSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import type { Plugin } from 'vite'

const underVitest = !!process.env.VITEST

// emptyOutDir removes dist/.gitkeep (tracked so Go's go:embed of frontend/dist works
// in a fresh clone); put it back so a build leaves the work tree clean.
const keepDistPlaceholder: Plugin = {
  name: 'portico-keep-dist-gitkeep',
  apply: 'build',
  closeBundle() {
    writeFileSync(resolvePath(__dirname, 'dist/.gitkeep'), '')
  },
}

export default defineConfig({
  plugins: [svelte(), svelteTesting(), keepDistPlaceholder],
  // Svelte 5 must resolve its browser (client) build in jsdom tests.
  resolve: underVitest ? { conditions: ['browser'] } : {},
  build: {
    outDir: 'dist',
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/test-setup.ts'],
  },
})
