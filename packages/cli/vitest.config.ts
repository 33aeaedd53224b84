import { defineProject, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

// Shared options (dev-source resolution, test glob, timeout) plus this package's own.
export default mergeConfig(shared, defineProject({}));
