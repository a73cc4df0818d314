// --help and --version text (loaded only when asked for). Like mosquitto_sub,
// both go to stdout and the tool then exits 1.
import { TOOL } from './command.js';

export const VERSION = '0.1.0';

export function versionText(): string {
  return `${TOOL} version ${VERSION} running on Node.js ${process.version}.\n`;
}

export function usageText(): string {
  return `${TOOL} subscribes to topics on an MQTT broker and prints the messages it receives (a drop-in for mosquitto_sub).
${versionText()}
Usage: ${TOOL} {[-h host] [--unix path] [-p port] [-u username] [-P password] -t topic | -L URL [-t topic]}
                [-c] [-k keepalive] [-q qos] [-x session-expiry-interval]
                [-C msg_count] [-E] [-R] [--retained-only] [--remove-retained] [-T filter_out] [-U topic ...]
                [-F format | --json] [--output hex|base64|raw] [--raw]
                [-W timeout_secs]
                [-A bind_address] [--nodelay]
                [-i id] [-I id_prefix]
                [-d] [-N] [--quiet] [-v] [--pretty]
                [--no-local] [--retain-as-published] [--retain-handling 0|1|2] [--subscription-identifier id]
                [-u username [-P password | --password-file file | --password-prompt]]
                [--will-topic [--will-payload payload] [--will-qos qos] [--will-retain]]
                [{--cafile file | --capath dir} [--cert file] [--key file]
                  [--ciphers ciphers] [--insecure] [--tls-alpn protocol] [--tls-version version]]
                  [--tls-use-os-certs]
                [--psk hex-key --psk-identity identity [--ciphers ciphers]]
                [--proxy socks-url]
                [-D command identifier value]
       ${TOOL} --help

 -A : bind the outgoing socket to this host/ip address.
 -c : disable clean session/enable persistent client mode.
 -C : disconnect and exit after receiving the 'msg_count' messages.
 -d : enable debug messages (on stdout).
 -D : define MQTT v5 properties (connect, subscribe, unsubscribe, disconnect, will).
 -E : exit once all subscriptions have been acknowledged by the broker.
 -F : output format (see the man page: %t %p %x %j %J %I %U @N and more).
 -h : mqtt host to connect to. Defaults to localhost.
 -i : id to use for this client. Defaults to one assigned by the broker.
 -I : define the client id as id_prefix appended with the process id.
 -k : keep alive in seconds for this client. Defaults to 60.
 -L : specify user, password, hostname, port and topic as a URL in the form:
      mqtt(s)://[username[:password]@]host[:port]/topic
 -N : do not add an end of line character when printing the payload.
 -p : network port to connect to. Defaults to 1883 for plain MQTT and 8883 for MQTT over TLS.
 -P : provide a password (prefer --password-file or --password-prompt).
 -q : quality of service level to use for the subscription. Defaults to 0.
 -R : do not print stale messages (those with retain set).
 -t : mqtt topic to subscribe to. May be repeated multiple times.
 -T : topic string to filter out of results. May be repeated.
 -u : provide a username.
 -U : unsubscribe from a topic. May be repeated.
 -v : print published messages verbosely (topic payload).
 -V : specify the version of the MQTT protocol to use when connecting.
      Can be mqttv5, mqttv311 or mqttv31. Defaults to mqttv311.
 -W : specifies a timeout in seconds how long to process incoming MQTT messages (exit 27).
 -x : set the session-expiry-interval property on the CONNECT packet (MQTT v5).
 --help : display this message.
 --json : print one JSON object per line: binary-safe, every MQTT 5 property.
 --no-local : (MQTT v5) do not receive messages published by this client.
 --output : how the default and -v forms print payloads: raw (default), hex or base64.
 --pretty : print formatted output rather than minimised output when using the
            JSON output format options.
 --quiet : don't print error messages.
 --random-filter : only print a percentage of received messages (0.1-100.0).
 --raw : never escape control characters (they are escaped when stdout is a terminal).
 --remove-retained : send a message to the server to clear any received retained messages.
 --retain-as-published : (MQTT v5) keep the retain flag as the publisher set it.
 --retain-handling : (MQTT v5) 0 send retained messages, 1 only for new subscriptions, 2 never.
 --retained-only : only print messages that have the retain flag set, and exit on the
                   first non-retained message.
 --subscription-identifier : (MQTT v5) tag this subscription; shown by %S.
 --version : print the version and exit.
 --will-payload, --will-qos, --will-retain, --will-topic : set the client Will.
 --cafile, --capath, --cert, --key, --ciphers, --tls-version, --tls-alpn, --insecure,
 --tls-use-os-certs, --psk, --psk-identity : TLS settings as for mosquitto_sub.
 --proxy : SOCKS5 proxy URL in the form socks5h://[username[:password]@]hostname[:port]

See 'man mqtt-sub' for the full reference.
`;
}
