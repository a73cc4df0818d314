// Start-up layer (bench/issue14.bench.mjs): the argv layer (argv.ts) with our
// client doing the talking (MqttClient: transports, hosts file, session,
// connection, timers), without the rest of mqtt-pub (runTool, exit statuses,
// terminal handling, signals, the delivery tracker).
import { MqttClient } from '../../src/client/client.js';
import { pubPlan } from './pub-plan.js';
import { failed } from './layer-common.js';

async function main(): Promise<void> {
  const plan = await pubPlan();
  if (plan.source.kind !== 'message') throw new Error('layer: -m only');
  const client = await MqttClient.connect(plan.connection.client);
  await client.publish({ topic: plan.topic, payload: plan.source.payload, qos: 0, retain: false });
  await client.disconnect();
  process.exit(0);
}
main().catch(failed);
