import { defineConfig } from "vite";

// The dashboard is served by the emulator: the page at `/`, its files under `/__emulator/ui/`.
export default defineConfig({
  base: "/__emulator/ui/",
  logLevel: "warn",
  build: { outDir: "../dist/ui", emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
});
