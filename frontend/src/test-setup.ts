// Vitest setup: DOM matchers (toBeInTheDocument, toHaveValue, ...).
import '@testing-library/jest-dom/vitest'
