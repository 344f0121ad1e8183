// The web UI is served by `renkei serve` from the same origin under a strict Content-Security-Policy
// (script-src 'self', no inline script or style attributes from the server): everything is emitted
// as files, nothing inlined.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
  server: {
    // `npm run dev` against a local `renkei serve` on 127.0.0.1:8080.
    proxy: { "/api": "http://127.0.0.1:8080" },
  },
});
