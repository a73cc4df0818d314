// Start-up layer (bench/issue14.bench.mjs): the argv layer (argv.ts) with our
// client doing the talking (MqttClient: transports, hosts file, session,
// connection, timers), without the rest of mqtt-pub (runTool, exit statuses,
// terminal handling, signals, the delivery tracker).
import { MqttClient } from '../../src/client/client.js';
import { MOSQUITTO_CONFIG, PUB_OPTIONS, TOOL } from '../../src/cli/pub/command.js';
import { toPublishPlan } from '../../src/cli/pub/options.js';
import { PUB_CHECKS } from '../../src/cli/shared/parse-checks.js';
import { parseOrAnswer } from '../../src/cli/shared/tool-requests.js';
import { failed } from './layer-common.js';

async function main(): Promise<void> {
  const args = await parseOrAnswer(process.argv.slice(2), TOOL, PUB_OPTIONS, () => import('../../src/cli/pub/help.js'), {
    configFallbacks: [MOSQUITTO_CONFIG],
    checks: PUB_CHECKS,
  });
  if (typeof args === 'number') return process.exit(args);
  const plan = toPublishPlan(args, { pid: process.pid });
  if (plan.source.kind !== 'message') throw new Error('layer: -m only');
  const client = await MqttClient.connect(plan.connection.client);
  await client.publish({ topic: plan.topic, payload: plan.source.payload, qos: 0, retain: false });
  await client.disconnect();
  process.exit(0);
}
main().catch(failed);
