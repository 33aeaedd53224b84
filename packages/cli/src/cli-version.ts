/**
 * The version `innkeeper --version` prints: the package's own, read from its package.json
 * at build time (tsup inlines the JSON import), so the bin never looks for files at run
 * time and the two can never disagree.
 */
import packageJson from '../package.json' with { type: 'json' };

export const CLI_VERSION: string = packageJson.version;
