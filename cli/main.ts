import { type Command, helpText, parseCommand } from './args'
import { backtest, importOnly, type Output } from './backtest'
import { EdgeClient } from './edge-client'
import { CliError, UsageError } from './errors'
import { printSegments } from './segments'

/**
 * Runs the command line `argv` (without node and the script) and returns the exit code:
 * 0 done, 1 failed, 2 bad usage. Errors are written to `out.stderr`, never thrown.
 */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: Output,
): Promise<number> {
  try {
    await run(parseCommand(argv, env), out)
    return 0
  } catch (error) {
    // On a terminal, an unfinished progress line would otherwise run into the message.
    const start = out.stderr.isTTY ? '\r\x1b[Ktelltale:' : 'telltale:'
    if (error instanceof UsageError) {
      out.stderr.write(`${start} ${error.message}\nusage: ${error.usage}\n`)
    } else if (error instanceof CliError) {
      out.stderr.write(`${start} ${error.message}\n`)
    } else {
      out.stderr.write(`${start} unexpected error: ${(error as Error)?.stack ?? error}\n`)
    }
    return error instanceof CliError ? error.exitCode : 1
  }
}

async function run(command: Command, out: Output): Promise<void> {
  if (command.name === 'help') {
    out.stdout.write(helpText)
    return
  }
  const edge = new EdgeClient(command.edge)
  if (command.name === 'backtest') {
    await backtest(edge, command.file, command.at, command.import, out)
  } else if (command.name === 'import') {
    await importOnly(edge, command.file, out)
  } else {
    await printSegments(edge, command.site, command.visitor, command.at, out)
  }
}
