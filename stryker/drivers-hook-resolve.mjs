// The resolve hook registered by drivers-hook.mjs: `better-sqlite3` comes from `drivers`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let target;

export function initialize({ drivers }) {
  target = pathToFileURL(join(drivers, 'better-sqlite3', 'lib', 'index.js')).href;
}

export async function resolve(specifier, context, next) {
  if (specifier === 'better-sqlite3')
    return { url: target, format: 'commonjs', shortCircuit: true };
  return next(specifier, context);
}
