/** Runs every task, waits for all of them, and rethrows the first failure (after the others settle). */
export async function runAll<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(items.map(task));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
