/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The sandbox `pnpm demo` started (dev server only). */
  readonly VITE_SANDBOX_URL?: string
}
