import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AssetHashType, DockerImage } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * The browser for the functions that scrape: @sparticuz/chromium (its compressed x64 Chromium and
 * the JavaScript that unpacks it) and playwright-core, copied from node_modules with everything they
 * depend on. Only scraping functions get the layer; their bundles leave these packages external and
 * import them from /opt/nodejs/node_modules, which the Lambda Node.js runtime searches for ES
 * modules too. Nothing here needs Docker or the network.
 */
export const BROWSER_PACKAGES = ['@sparticuz/chromium', 'playwright-core'] as const;

interface PackageDir {
  name: string;
  version: string;
  dir: string;
}

function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The packages and their runtime dependencies, as installed (optional peers that are absent are skipped). */
export function browserPackageClosure(projectRoot: string): PackageDir[] {
  const found = new Map<string, PackageDir>();
  const visit = (name: string, from: string, required: boolean) => {
    const dir = findPackage(name, from);
    if (!dir) {
      if (required) throw new Error(`${name} is not installed; run npm ci`);
      return;
    }
    if (found.has(dir)) return;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      version: string;
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
    };
    found.set(dir, { name, version: pkg.version, dir });
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, true);
    for (const dep of Object.keys({ ...pkg.optionalDependencies, ...pkg.peerDependencies })) visit(dep, dir, false);
  };
  for (const name of BROWSER_PACKAGES) visit(name, projectRoot, true);
  return [...found.values()];
}

/** Where each package goes under the layer's nodejs/ folder, keeping nested node_modules nested. */
function layerPath(projectRoot: string, pkgDir: string): string {
  const rel = pkgDir.slice(projectRoot.length + 1);
  return join('nodejs', rel);
}

export class BrowserLayer extends Construct {
  readonly layer: LayerVersion;
  readonly packages: PackageDir[];

  constructor(scope: Construct, id: string, props: { projectRoot: string }) {
    super(scope, id);
    const { projectRoot } = props;
    this.packages = browserPackageClosure(projectRoot);
    // Hash what is copied by name and version: hashing ~85 MB of files on every synth would be slow.
    const hash = createHash('sha256')
      .update(JSON.stringify(this.packages.map((p) => [layerPath(projectRoot, p.dir), p.version]).sort()))
      .digest('hex');
    const packages = this.packages;
    this.layer = new LayerVersion(this, 'Layer', {
      description: `Chromium and playwright-core for scraping (${packages
        .filter((p) => (BROWSER_PACKAGES as readonly string[]).includes(p.name))
        .map((p) => `${p.name}@${p.version}`)
        .join(', ')})`,
      compatibleRuntimes: [Runtime.NODEJS_24_X],
      compatibleArchitectures: [Architecture.X86_64],
      code: Code.fromAsset(join(projectRoot, 'node_modules', '@sparticuz', 'chromium'), {
        assetHash: hash,
        assetHashType: AssetHashType.CUSTOM,
        bundling: {
          // Never used: local bundling always succeeds, so Docker is not needed.
          image: DockerImage.fromRegistry('unused'),
          local: {
            tryBundle(outputDir: string): boolean {
              for (const p of packages) {
                const target = join(outputDir, layerPath(projectRoot, p.dir));
                mkdirSync(dirname(target), { recursive: true });
                cpSync(p.dir, target, { recursive: true, dereference: true });
              }
              return true;
            },
          },
        },
      }),
    });
  }
}
