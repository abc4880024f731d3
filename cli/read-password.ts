// A password for --user: typed at the terminal without echo, or the first line of standard
// input when that is not a terminal (`printf '%s\n' "$PASS" | npm run import -- ...`).

export class Interrupted extends Error {
  override readonly name = 'Interrupted';
}

const MAX_LINE = 4096;

const firstLine = async (input: NodeJS.ReadableStream): Promise<string> => {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    const end = text.indexOf('\n');
    // A line is enough: stdin left open after it must not keep the import waiting.
    if (end >= 0 || text.length > MAX_LINE)
      return text.slice(0, end >= 0 ? end : MAX_LINE).replace(/\r$/, '');
  }
  return text.replace(/\r$/, '');
};

const typed = (input: NodeJS.ReadStream, output: NodeJS.WriteStream, prompt: string): Promise<string> =>
  new Promise((resolve, reject) => {
    output.write(prompt);
    let password: string[] = [];
    const stop = (): void => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
    };
    const onData = (text: string): void => {
      for (const c of text) {
        if (c === '\r' || c === '\n' || c === '\u0004') {
          stop();
          resolve(password.join(''));
          return;
        }
        if (c === '\u0003') {
          stop();
          reject(new Interrupted('interrupted'));
          return;
        }
        if (c === '\u007f' || c === '\b') password = password.slice(0, -1);
        else password.push(c);
      }
    };
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });

export const readPassword = (
  prompt: string,
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> => (input.isTTY ? typed(input, output, prompt) : firstLine(input));
