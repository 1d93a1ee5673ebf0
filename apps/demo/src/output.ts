/** The walkthroughs' console output: numbered steps and indented lines under them. */
export function step(n: number, title: string): void {
  process.stdout.write(`\n[${n}] ${title}\n`);
}

export function say(line: string): void {
  process.stdout.write(`    ${line}\n`);
}
