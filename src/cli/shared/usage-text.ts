// Pieces of mqtt-pub's and mqtt-sub's --help and --version texts that are the
// same for both: the version line, and the synopsis lines of the shared
// connection options (shared/connection-options.ts) in mosquitto's layout.

/** Kept equal to package.json's version by test/unit/pub-options.test.ts. */
export const VERSION = '0.1.0';

export function versionText(tool: string): string {
  return `${tool} version ${VERSION} running on Node.js ${process.version}.\n`;
}

/** The synopsis lines every client tool ends with (16 spaces under "Usage: tool "). */
export const CONNECTION_SYNOPSIS = `                [-u username [-P password | --password-file file | --password-prompt]]
                [--will-topic [--will-payload payload] [--will-qos qos] [--will-retain]]
                [{--cafile file | --capath dir} [--cert file] [--key file]
                  [--ciphers ciphers] [--insecure] [--tls-alpn protocol] [--tls-version version]]
                  [--tls-use-os-certs]
                [--psk hex-key --psk-identity identity [--ciphers ciphers]]
                [--proxy socks-url]
                [-D command identifier value]`;
