import chromium from '@sparticuz/chromium';

/**
 * Unpacks the bundled Chromium once before any test file starts. Test files run in parallel
 * workers, and two processes unpacking the binary at the same moment fail with ETXTBSY; in Lambda
 * there is only ever one process per container, so this concerns tests alone.
 */
export default async function globalSetup(): Promise<void> {
  await chromium.executablePath();
}
