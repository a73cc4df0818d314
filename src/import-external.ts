// Every dynamic import() of a package or builtin goes through here. The shipped
// bundle runs inside a vm.Script (see launch/code-cache.ts), where Node 20 only
// allows import() behind --experimental-vm-modules; the launcher hands in its
// own import() as __mqttImport instead. Anywhere else (tests, plain require of
// the bundle) the ordinary import() runs.
declare const __mqttImport: ((specifier: string) => Promise<unknown>) | undefined;

export function importExternal<T>(specifier: string): Promise<T> {
  return (typeof __mqttImport === 'function' ? __mqttImport(specifier) : import(specifier)) as Promise<T>;
}
