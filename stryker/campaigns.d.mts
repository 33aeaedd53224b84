/** Types of campaigns.mjs, for scripts/mutation.ts and vitest.config.ts. */
export interface Campaign {
  description: string;
  mutate: string[];
  tests: string[];
  exclude?: string[];
  goal: number;
  env?: Record<string, string>;
  needs?: 'postgres' | 'sqlite';
  globalSetup?: string[];
}

export declare const campaigns: Record<string, Campaign>;

export declare function currentCampaign(): Campaign & { name: string };
