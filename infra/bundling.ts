import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * zod's namespace export (`import { z } from 'zod'`) carries every message locale (about 260 KB
 * minified, a quarter of each bundle and of its parse time at cold start), although only English is
 * ever used. This writes a copy of zod's two entry modules without the `locales` re-exports,
 * pointing at the installed files, and returns it for esbuild's `--alias:zod=`. It is generated
 * from the installed version, so an upgrade cannot leave it stale; if the layout ever changes so
 * that nothing can be dropped, no alias is returned and zod is bundled as it is.
 */
const LOCALES_EXPORT = /^export \* as locales from "\.\.\/locales\/index\.js";\r?\n/m;

function rewrite(source: string, fromDir: string, replace: Record<string, string> = {}): string {
  return source.replace(/from "(\.{1,2}\/[^"]+)"/g, (_m, spec: string) => `from ${JSON.stringify(replace[spec] ?? join(fromDir, spec))}`);
}

function writeIfChanged(file: string, content: string): void {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return;
  // Atomic: parallel synths may write the same file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export function leanZodEntry(projectRoot: string): string | undefined {
  const zodDir = join(projectRoot, 'node_modules', 'zod');
  const externalFile = join(zodDir, 'v4', 'classic', 'external.js');
  const coreFile = join(zodDir, 'v4', 'core', 'index.js');
  if (!existsSync(externalFile) || !existsSync(coreFile)) return undefined;
  const external = readFileSync(externalFile, 'utf8');
  const core = readFileSync(coreFile, 'utf8');
  if (!LOCALES_EXPORT.test(external) || !LOCALES_EXPORT.test(core)) return undefined;
  // Only `... from "./x"` specifiers are rewritten; a bare side-effect import would break the copy.
  if (/^\s*import\s+["']/m.test(external + core)) return undefined;

  const version = (JSON.parse(readFileSync(join(zodDir, 'package.json'), 'utf8')) as { version: string }).version;
  const digest = createHash('sha256').update(external).update(core).digest('hex').slice(0, 12);
  const dir = join(projectRoot, 'node_modules', '.cache', 'canton-rewards-monitor', `zod-${version}-${digest}`);
  mkdirSync(dir, { recursive: true });
  writeIfChanged(join(dir, 'core.js'), rewrite(core.replace(LOCALES_EXPORT, ''), dirname(coreFile)));
  writeIfChanged(
    join(dir, 'external.js'),
    rewrite(external.replace(LOCALES_EXPORT, ''), dirname(externalFile), { '../core/index.js': './core.js' }),
  );
  const index = join(dir, 'index.js');
  writeIfChanged(index, 'import * as z from "./external.js";\nexport * from "./external.js";\nexport { z, z as default };\n');
  return index;
}

/**
 * Node 24 builds the ES-module view of a built-in module by reading every export once, which runs
 * lazy getters: `import http from 'node:http'` loads the whole WebSocket/fetch stack (~35 ms), and
 * `node:crypto`, `node:fs` and `node:zlib` add a few ms each. esbuild keeps such
 * imports as `import` statements in an ESM bundle, so every cold start pays this. Aliasing these
 * built-ins to one-line CommonJS modules that fetch them with process.getBuiltinModule() leaves the
 * getters alone until something really uses them.
 */
export const SHIMMED_BUILTINS = ['http', 'https', 'crypto', 'fs', 'zlib', 'util', 'child_process'] as const;

// getBuiltinModule rather than require: esbuild would send a require of the built-in through the
// alias again, back to this very file.
const shim = (name: string) => `module.exports = process.getBuiltinModule('node:${name}');\n`;

export function builtinAliases(projectRoot: string): string[] {
  const dir = join(projectRoot, 'node_modules', '.cache', 'canton-rewards-monitor', 'builtins-v4');
  mkdirSync(dir, { recursive: true });
  // The repository is "type": "module"; these files are CommonJS.
  writeIfChanged(join(dir, 'package.json'), '{ "type": "commonjs" }\n');
  const aliases: string[] = [];
  for (const name of SHIMMED_BUILTINS) {
    // An alias also maps subpaths (`fs` -> `fs/promises`), so each built-in is a directory whose
    // index is the module and whose other files are its subpath modules.
    const target = join(dir, name);
    mkdirSync(target, { recursive: true });
    writeIfChanged(join(target, 'index.js'), shim(name));
    for (const sub of builtinModules.filter((m) => m.startsWith(`${name}/`))) {
      writeIfChanged(join(target, `${sub.slice(name.length + 1)}.js`), shim(sub));
    }
    aliases.push(`${name}=${target}`, `node:${name}=${target}`);
  }
  return aliases;
}
