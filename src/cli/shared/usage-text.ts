// Pieces of mqtt-pub's and mqtt-sub's --help and --version texts that are the
// same for both: the version line, and the synopsis forms of the shared
// connection options (shared/connection-options.ts) in mosquitto's layout.

/** Kept equal to package.json's version by test/unit/pub-options.test.ts. */
export const VERSION = '0.1.0';

export function versionText(tool: string): string {
  return `${tool} version ${VERSION} running on Node.js ${process.version}.\n`;
}

/**
 * The synopsis forms every client tool ends with, as mosquitto's clients show
 * them (shared/synopsis.ts renders `@key` from the table).
 */
export const CONNECTION_FORMS: readonly string[] = [
  '[@username [@password | @passwordFile | @passwordPrompt]]',
  '[@willTopic [@willPayload] [@willQos] [@willRetain]]',
  '[{@cafile | @capath} [@cert] [@key]',
  '  [@ciphers] [@insecure] [@tlsAlpn] [@tlsVersion] [@tlsKeylog]]',
  '  [@tlsUseOsCerts] [@noTls]',
  '[@ws [@wsPath]]',
  '[@optionsFile]',
  '[@psk @pskIdentity [@ciphers]]',
  '[@proxy]',
  '[@property]',
];
