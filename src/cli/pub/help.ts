// --help and --version text (loaded only when asked for). Like mosquitto_pub,
// both go to stdout and the tool then exits 1.
import { TOOL } from './command.js';

/** Kept equal to package.json's version by test/unit/pub-options.test.ts. */
export const VERSION = '0.1.0';

export function versionText(): string {
  return `${TOOL} version ${VERSION} running on Node.js ${process.version}.\n`;
}

export function usageText(): string {
  return `${TOOL} publishes messages to an MQTT broker and exits (a drop-in for mosquitto_pub).
${versionText()}
Usage: ${TOOL} {[-h host] [--unix path] [-p port] [-u username] [-P password] -t topic | -L URL}
                {-f file | -l | -n | -m message | -s}
                [-c] [-k keepalive] [-q qos] [-r] [--repeat N] [--repeat-delay time] [-x session-expiry]
                [-A bind_address] [--nodelay]
                [-i id] [-I id_prefix]
                [-d] [--quiet]
                [-M max_inflight]
                [-u username [-P password | --password-file file | --password-prompt]]
                [--will-topic [--will-payload payload] [--will-qos qos] [--will-retain]]
                [{--cafile file | --capath dir} [--cert file] [--key file]
                  [--ciphers ciphers] [--insecure] [--tls-alpn protocol] [--tls-version version]]
                  [--tls-use-os-certs]
                [--psk hex-key --psk-identity identity [--ciphers ciphers]]
                [--proxy socks-url]
                [-D command identifier value]
       ${TOOL} --help

Message (exactly one):
 -m : the message payload, taken from the command line.
 -f : send a whole file as one message (any bytes).
 -s : send all of standard input as one message (any bytes; empty input is an error).
 -l : send one message per line of standard input (the newline is removed).
 -n : send a zero-length message.
Where:
 -h : broker host. Default: localhost.
 -p : broker port. Default: 1883, or 8883 with TLS. Port 8883 turns TLS on.
 -t : topic to publish to (no '+' or '#').
 -L : mqtt(s)://[username[:password]@]host[:port]/topic in one argument.
 --unix : connect through a Unix domain socket at this path.
 --proxy : SOCKS5 proxy, socks5h://[username[:password]@]host[:port].
 -A : bind the outgoing socket to this local address.
 --nodelay : turn off Nagle's algorithm.
How:
 -q : QoS 0, 1 or 2. Default 0.
 -r : set the retain flag.
 --repeat : publish the message N times (not with -l).
 --repeat-delay : seconds to wait after each message is confirmed, before the next.
 -M : most QoS 1/2 messages awaiting acknowledgement at once. Default 20.
 -V : protocol version: 5 (mqttv5), 311 (mqttv311) or 31 (mqttv31). Default 311.
 -D : an MQTT v5 property: -D command identifier value (implies -V 5). Commands:
      connect, publish, will, disconnect. For user properties: -D cmd user-property name value.
Session:
 -i : client id. Default: none (the broker assigns one).
 -I : client id = this prefix followed by the process id.
 -c : keep the session after disconnecting (needs -i).
 -x : session expiry interval in seconds (-1 or ∞: never). Implies -V 5.
 -k : keepalive in seconds, 5-65535 (0: none). Default 60.
Credentials:
 -u : username.
 -P : password (visible to other users of this machine: prefer the next two).
 --password-file : read the password from the first line of this file.
 --password-prompt : ask for the password on the terminal, without echo.
      The MQTT_PASSWORD environment variable is used when -u is given without a password.
Will:
 --will-topic, --will-payload, --will-qos, --will-retain : the message the broker sends
      if this client vanishes.
TLS:
 --cafile, --capath : CA certificates to trust (turns TLS on).
 --tls-use-os-certs : trust the system's CA certificates (turns TLS on).
 --cert, --key : client certificate and key (PEM). --keyform : pem.
 --insecure : do not check that the certificate matches the host name.
 --tls-version : tlsv1.3, tlsv1.2 or tlsv1.1 (minimum). --ciphers : TLS 1.2 cipher list.
 --tls-alpn : ALPN protocol. --psk, --psk-identity : TLS-PSK (hex key).
Output:
 -d : print every packet sent and received (to stdout).
 --quiet : do not print errors that happen after the command line is read.
 --help : this text. --version : the version.

Exit status: 0 when every message was delivered (QoS 1/2: acknowledged); see ${TOOL}(1).
`;
}
