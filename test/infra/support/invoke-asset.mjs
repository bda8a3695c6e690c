// Runs one synthesized function the way the Lambda Node.js runtime does: imports the bundle from
// its task directory, then calls the exported handler once with an event and a Lambda-like context.
// Plain JavaScript on purpose: it must run on the bare Node 24 binary with nothing else loaded.
//
//   node invoke-asset.mjs <task dir> <handler, e.g. index.handler> <event JSON> <result file> <timeout ms>
//
// With the event `--load-only` the handler is not called: only the module load is measured.
// Optional: <second event JSON> <pause ms> invokes the handler again in the same process after the
// pause, as a warm container would (the outcome's `warm` part).
// The outcome goes to the result file, so the function's own stdout (its JSON logs) stays separate.
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [taskDir, handlerSpec, eventJson, resultFile, timeoutMs, secondEventJson, pauseMs] = process.argv.slice(2);
const [moduleName, exportName] = handlerSpec.split('.');
const file = ['.mjs', '.js'].map((ext) => join(taskDir, moduleName + ext)).find((f) => existsSync(f));

const started = performance.now();
let outcome;
try {
  const mod = await import(pathToFileURL(file).href);
  const loadMs = performance.now() - started;
  const handler = mod[exportName];
  if (typeof handler !== 'function') throw new Error(`${handlerSpec} is not a function`);
  const deadline = Date.now() + Number(timeoutMs);
  const name = process.env.AWS_LAMBDA_FUNCTION_NAME;
  const context = {
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${name}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
  if (eventJson === '--load-only') {
    outcome = { ok: true, loadMs };
  } else {
    const invokeStarted = performance.now();
    try {
      const result = await handler(JSON.parse(eventJson), context);
      outcome = { ok: true, result, loadMs, runMs: performance.now() - invokeStarted };
    } catch (err) {
      outcome = { ok: false, error: { name: err?.name, message: err?.message }, loadMs, runMs: performance.now() - invokeStarted };
    }
    if (outcome.ok && secondEventJson) {
      await new Promise((resolve) => setTimeout(resolve, Number(pauseMs)));
      const warmStarted = performance.now();
      try {
        const result = await handler(JSON.parse(secondEventJson), { ...context, awsRequestId: randomUUID() });
        outcome.warm = { ok: true, result, runMs: performance.now() - warmStarted };
      } catch (err) {
        outcome.warm = { ok: false, error: { name: err?.name, message: err?.message }, runMs: performance.now() - warmStarted };
      }
    }
  }
} catch (err) {
  outcome = { ok: false, loadError: { name: err?.name, message: err?.message, code: err?.code } };
}
writeFileSync(resultFile, JSON.stringify(outcome));
// Lambda freezes the process after the response; here it has to end (open sockets, a browser).
process.exit(0);
