// For scripts/build-dist.ts: replaces the command line's entry and the prover's worker-thread entries
// in dist/ with esbuild bundles of their TypeScript sources, so that Node loads a few files at start
// instead of ~200 of our modules one by one (resolving and reading each costs more than running them;
// docs/engine.md has the profile and the measured difference), and again in every worker thread.
// Only our code is bundled: packages stay imports (their licences and files untouched, one copy
// each), the modules the CLI imports lazily (the service, the SDK) become chunks it loads on use,
// and the rest of dist/ (the library the package exports, with its declarations) stays as tsc
// emitted it; its thread pools start the bundled worker entries.
// SPDX-License-Identifier: GPL-3.0-or-later
import { build, type Plugin } from "esbuild";
import { readFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

/** The bundled entries: the source, relative to the package root, whose dist/ file is replaced. */
export const BUNDLED_ENTRIES = ["prover/cli/main.ts", "prover/plonkish/gate-worker.ts", "prover/engine/wasm/worker.ts"] as const;

const BANNER = "// SPDX-License-Identifier: GPL-3.0-or-later\n// zkinfer, bundled from its TypeScript sources by scripts/build-dist.ts (scripts/bundle-cli.ts).";

/**
 * Keeps each source's `import.meta.url` what it was before bundling: the URL of its own file in
 * dist/, which tsc's output keeps next to the assets the code reads by relative URL (bn128.wasm,
 * the verifier template, the explorer) and the worker entries the pools start.
 */
function ownUrlPlugin(root: string, dist: string, outDir: string): Plugin {
  return {
    name: "zkinfer-own-url",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.split(sep).includes("node_modules")) return undefined;
        const text = readFileSync(args.path, "utf8");
        if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
        const emitted = join(dist, relative(root, args.path)).replace(/\.ts$/, ".js");
        const url = `new URL(${JSON.stringify(relative(outDir, emitted).split(sep).join("/"))}, import.meta.url).href`;
        return { contents: text.replaceAll("import.meta.url", url), loader: "ts" };
      });
    },
  };
}

/** Bundles BUNDLED_ENTRIES over tsc's output in `dist`; returns the number of files written. */
export async function bundleEntries(root: string, dist: string): Promise<number> {
  let written = 0;
  for (const entry of BUNDLED_ENTRIES) {
    const outDir = dirname(join(dist, entry));
    const result = await build({
      absWorkingDir: root,
      entryPoints: [join(root, entry)],
      outdir: outDir,
      // The CLI's chunks sit next to its entry (the same relative URLs); a worker has no lazy imports.
      chunkNames: "main-chunk-[hash]",
      splitting: entry === "prover/cli/main.ts",
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node22",
      tsconfig: join(root, "tsconfig.build.json"),
      banner: { js: BANNER },
      legalComments: "inline",
      // Mapped back to the .ts sources when ZKINFER_DEBUG=1 prints a stack (bin/zkinfer.js).
      sourcemap: "linked",
      sourcesContent: false,
      allowOverwrite: true,
      metafile: true,
      logLevel: "warning",
      plugins: [ownUrlPlugin(root, dist, outDir)],
    });
    written += Object.keys(result.metafile.outputs).length;
  }
  return written;
}
