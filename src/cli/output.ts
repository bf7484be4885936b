/** Results go to stdout; everything meant for a human watching goes to stderr. */
export function printResult(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function info(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

const useColor = () => process.stderr.isTTY === true && !process.env.NO_COLOR;
export const red = (s: string) => (useColor() ? `\u001b[31m${s}\u001b[39m` : s);
export const yellow = (s: string) => (useColor() ? `\u001b[33m${s}\u001b[39m` : s);
export const dim = (s: string) => (useColor() ? `\u001b[2m${s}\u001b[22m` : s);
