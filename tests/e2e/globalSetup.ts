import type { TestProject } from 'vitest/node';
import { buildAndServe } from './site';

declare module 'vitest' {
  export interface ProvidedContext {
    siteUrl: string;
  }
}

/** One build of the site for every e2e file (a build takes tens of seconds on two cores). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const site = await buildAndServe('/course/gnn/');
  project.provide('siteUrl', site.url);
  return () => site.close();
}
