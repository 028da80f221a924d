/**
 * The Ed25519 public key(s) that may sign offline update packages, shipped inside the app (asar
 * integrity protects it in signed builds). Written by `npm run update:keygen -- --out <dir> --install`;
 * the private key is never in this repository. Add a second entry to rotate keys.
 */
export const UPDATE_PUBLIC_KEYS: readonly string[] = [
  // key id 85b7c9efacf20e06
  `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEArEwDu3hJ/ZbrG0lB+0xzdaZMnYtetDp4MY+Ypt6FqWk=
-----END PUBLIC KEY-----`,
];
