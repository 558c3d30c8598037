// Bundles an entry for the browser with esbuild (platform "browser", as a dApp's bundler would) and
// reports every Node built-in that any module of the bundle imports, whether or not a package's
// "browser" field would stub it: zkinfer/sdk must need none (issue 22).
import { build, type Metafile } from "esbuild";
import { builtinModules } from "node:module";

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export interface BrowserBundle {
  /** "<module> <- <importer>" for every Node built-in imported, and every import that did not resolve. */
  problems: string[];
  /** The bundle's input files, relative to `resolveDir`. */
  inputs: string[];
  bytes: number;
  /** The bundle (ES module), empty when it failed. */
  code: string;
}

/**
 * Bundles `contents` (an ES module, resolved from `resolveDir`) for the browser, in memory;
 * `define` replaces global names with JSON values (esbuild's define).
 */
export async function bundleForBrowser(contents: string, resolveDir: string, define: Record<string, string> = {}): Promise<BrowserBundle> {
  const problems: string[] = [];
  try {
    const result = await build({
      stdin: { contents, resolveDir, loader: "ts", sourcefile: "entry.ts" },
      absWorkingDir: resolveDir,
      bundle: true,
      platform: "browser",
      format: "esm",
      target: "es2022",
      write: false,
      metafile: true,
      logLevel: "silent",
      define,
      plugins: [
        {
          name: "no-node-builtins",
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (BUILTINS.has(args.path) || args.path.startsWith("node:")) problems.push(`${args.path} <- ${args.importer}`);
              return undefined;
            });
          },
        },
      ],
    });
    const meta: Metafile = result.metafile;
    return { problems, inputs: Object.keys(meta.inputs), bytes: result.outputFiles.reduce((n, f) => n + f.contents.length, 0), code: result.outputFiles[0]?.text ?? "" };
  } catch (err) {
    const errors = (err as { errors?: { text: string; location: { file: string } | null }[] }).errors;
    if (!errors) throw err;
    return { problems: [...problems, ...errors.map((e) => `${e.text} (${e.location?.file ?? "?"})`)], inputs: [], bytes: 0, code: "" };
  }
}
