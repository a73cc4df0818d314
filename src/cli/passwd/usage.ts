// The usage text (stdout, exit 1, as mosquitto_passwd), loaded only when shown.
import { DEFAULT_PBKDF2_ITERATIONS } from './hash.js';

export function usageText(): string {
  return `mqtt-passwd is a tool for managing password files for mosquitto.

Usage: mqtt-passwd [-H sha512 | -H sha512-pbkdf2 | -H bcrypt] [-I iterations] [-c | -D] passwordfile username
       mqtt-passwd [-H hash] [-I iterations] [-c] -b passwordfile username password
       mqtt-passwd [-H hash] [-I iterations] [-c] --stdin passwordfile username
       mqtt-passwd [-H hash] [-I iterations] -U passwordfile
       mqtt-passwd [--stdin] --check passwordfile username
       mqtt-passwd [-v] --list passwordfile
 -b : run in batch mode to allow passing passwords on the command line.
      The password is then visible to other users; prefer --stdin.
 -c : create a new password file. This will overwrite existing files.
 -D : delete the username rather than adding/updating its password.
 -H : specify the hashing algorithm. Defaults to sha512-pbkdf2, which is recommended.
      sha512 is Mosquitto 1.6's format; bcrypt is for auth plugins that take it.
 -I : PBKDF2 iterations (default ${DEFAULT_PBKDF2_ITERATIONS}), or the bcrypt cost (default 10).
 -U : update a plain text password file to use hashed passwords.
      Lines that are already hashed are left alone.
 --check : read a password and exit 0 if it is the user's, 1 if not.
 --list : print the usernames, one per line (-v: with the hash type).
 --stdin : read the password from the first line of standard input.
 --force : edit a file that other users can write to.
 --follow-symlinks : edit the target of a symbolic link.

See mqtt-passwd(1) for more information.

`;
}
