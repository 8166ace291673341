/** jest global teardown: stops the run's DynamoDB Local (see global-setup.ts). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.heraldTestStore?.stop();
}
