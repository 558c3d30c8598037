// A fresh project that installs the packed tarball from the npm cache alone: its package-lock.json
// is cut out of this repository's, so `npm ci --offline` installs exactly the versions the
// repository is tested with and needs no registry (`npm install` of the repository filled the cache
// with every tarball; no package metadata is needed when a lockfile names them all).
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

/** The lock path a package `name` needed at lock path `from` resolves to, by Node's lookup upwards. */
function lookup(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!dir) return undefined;
    const cut = dir.lastIndexOf("/node_modules/");
    dir = cut < 0 ? "" : dir.slice(0, cut);
  }
}

/** Names an entry needs: dependencies and required peers, plus optional dependencies when `optional`. */
function needs(entry: LockEntry | Manifest, optional: boolean): { name: string; optional: boolean }[] {
  const out = Object.keys(entry.dependencies ?? {}).map((name) => ({ name, optional: false }));
  for (const name of Object.keys(entry.peerDependencies ?? {})) if (!entry.peerDependenciesMeta?.[name]?.optional) out.push({ name, optional: false });
  if (optional) out.push(...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })));
  return out;
}

/** The lock paths of `manifest`'s dependency closure (required peers included), found in `packages`. */
function closure(packages: Record<string, LockEntry>, manifest: Manifest, optional: boolean): Set<string> {
  const seen = new Set<string>();
  const queue: [LockEntry | Manifest, string][] = [[manifest, ""]];
  while (queue.length > 0) {
    const [entry, at] = queue.pop()!;
    for (const need of needs(entry, optional)) {
      const path = lookup(packages, at, need.name);
      if (path === undefined) {
        if (need.optional) continue;
        throw new Error(`package-lock.json has no ${need.name} (needed by ${at || manifest.name}): run npm install`);
      }
      if (seen.has(path)) continue;
      seen.add(path);
      queue.push([packages[path], path]);
    }
  }
  return seen;
}

/**
 * Writes `dir`/package.json and package-lock.json for a project that depends on `tarball` (a
 * `npm pack` output in `dir`) and on `extra` packages of the repository's lock (e.g. typescript).
 */
export async function writeConsumerProject(root: string, dir: string, tarball: string, extra: readonly string[] = []): Promise<void> {
  const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as Manifest;
  const lock = JSON.parse(await readFile(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const packages = lock.packages;
  const file = `file:${basename(tarball)}`;
  const pinned = (name: string) => {
    const entry = packages[`node_modules/${name}`];
    if (!entry?.version) throw new Error(`package-lock.json has no top-level ${name}`);
    return entry.version;
  };
  const dependencies: Record<string, string> = { [manifest.name]: file };
  for (const name of extra) dependencies[name] = pinned(name);

  // The tarball's own entry, then everything it and the extras need; what only optional
  // dependencies need is marked optional, so that --omit=optional leaves it out.
  const root$ = { ...manifest, dependencies: { ...manifest.dependencies, ...Object.fromEntries(extra.map((n) => [n, pinned(n)])) } };
  const all = closure(packages, root$, true);
  const required = closure(packages, root$, false);
  const out: Record<string, LockEntry> = {
    "": { name: "zkinfer-consumer", dependencies },
    [`node_modules/${manifest.name}`]: {
      version: manifest.version,
      resolved: file,
      integrity: `sha512-${createHash("sha512").update(await readFile(tarball)).digest("base64")}`,
      license: manifest.license,
      dependencies: manifest.dependencies,
      optionalDependencies: manifest.optionalDependencies,
      peerDependencies: manifest.peerDependencies,
      peerDependenciesMeta: manifest.peerDependenciesMeta,
      bin: manifest.bin,
      engines: manifest.engines,
    },
  };
  for (const path of [...all].sort()) {
    const { dev: _dev, optional: _optional, devOptional: _devOptional, ...entry } = packages[path];
    out[path] = required.has(path) ? entry : { ...entry, optional: true };
  }
  await writeFile(join(dir, "package.json"), `${JSON.stringify({ name: "zkinfer-consumer", private: true, type: "module", dependencies }, null, 2)}\n`);
  await writeFile(join(dir, "package-lock.json"), `${JSON.stringify({ name: "zkinfer-consumer", lockfileVersion: 3, requires: true, packages: out }, null, 2)}\n`);
}
