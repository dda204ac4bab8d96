import { defineConfig } from "vite"

// `base: "./"`: the static bundle works from any path of any static server.
export default defineConfig({
  base: "./",
  build: { target: "es2022", sourcemap: true, reportCompressedSize: true },
  server: { host: "127.0.0.1", strictPort: true },
  preview: { host: "127.0.0.1", strictPort: true }
})
