// The line protocol of the timing scripts (bench.mjs, verify.mjs): one JSON command per
// line on stdin, one JSON answer per line on stdout; {"op": "quit"} ends. Commands go to
// handlers[op]; an error becomes {"error": stack}.
import {createInterface} from 'node:readline';

export async function answer(handlers) {
  const lines = createInterface({input: process.stdin, crlfDelay: Infinity});
  for await (const line of lines) {
    if (!line.trim()) continue;
    const command = JSON.parse(line);
    if (command.op === 'quit') break;
    let reply;
    try {
      const handler = handlers[command.op];
      if (!handler) throw new Error(`unknown op ${command.op}`);
      reply = await handler(command);
    } catch (error) {
      reply = {error: String(error.stack || error)};
    }
    process.stdout.write(JSON.stringify(reply) + '\n');
  }
}
