// Process exit codes. The README's "Exit codes" table documents exactly these.
#pragma once

namespace customs {

enum ExitCode : int {
  kExitOk = 0,             // scan completed; no gate failed
  kExitFindings = 1,       // default value of --exit-code: a policy gate failed
  kExitUsage = 2,          // bad command line
  kExitInputRejected = 3,  // the input is malformed or hostile (traversal, bomb, bad digest, truncation, ...)
  kExitIo = 4,             // an input could not be read or the output could not be written
  kExitInternal = 5,       // a bug: please report it
  // Signing and verification (docs/signing.md): each way a verification fails closed has its own code.
  kExitNoSignature = 20,         // verify: the image has no signature (no .sig/.att tag, or no layer in it)
  kExitSignatureWrongKey = 21,   // verify: no signature verifies with the given public key
  kExitSignatureDigest = 22,     // verify: a valid signature names another image digest (tag moved, replay)
  kExitSignatureTampered = 23,   // verify: the signature object is altered (payload/digest/structure)
  kExitRegistryUnreachable = 24, // the registry could not be reached (connection, TLS, DNS)
  kExitBadPassword = 25,         // the private key's password is wrong
};

}  // namespace customs
