import { stopServers } from './jest-global-setup.mjs';

export default async function globalTeardown() {
  await stopServers();
}
