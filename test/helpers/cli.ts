/** Runs the wirescope CLI in-process and captures what it prints (faster than spawning). */
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  // stdout takes bytes too, as the process's does, so the tests go through the same encoder.
  const decoder = new TextDecoder();
  const code = await main(argv, {
    stdout: {
      write: (s: string) => void (stdout += s),
      writeBytes: (b: Uint8Array) => void (stdout += decoder.decode(b, { stream: true })),
    },
    stderr: { write: (s: string) => void (stderr += s) },
  });
  return { code, stdout: stdout + decoder.decode(), stderr };
}
