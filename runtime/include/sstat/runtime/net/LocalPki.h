//===- net/LocalPki.h - Throw-away CA for local and test runs ----*- C++
//-*-===//
//
// generateLocalPki creates, with OpenSSL 3 EVP APIs (no shelling out), a
// self-signed CA and one certificate per name for running all parties on
// one machine (tests, demos, `--local` runs). Keys are ECDSA P-256 (accepted
// by TLS 1.3 on both the client and the server side), certificates are
// X.509 v3 signed with SHA-256, valid from one hour ago for `validDays`:
//   CA:    CN = "sstat local CA <random hex>", basicConstraints CA:TRUE
//          (critical), keyUsage keyCertSign + cRLSign (critical);
//   leaf:  CN = name, subjectAltName DNS:name, basicConstraints CA:FALSE,
//          keyUsage digitalSignature (critical), extendedKeyUsage
//          serverAuth + clientAuth (each party is both).
// Files in `dir` (created if needed): ca.pem, <name>.pem, <name>.key; keys
// are mode 0600 and every file is written atomically (temporary file in the
// same directory, fsync, rename). The CA key is never written: nobody can
// issue more certificates for this CA later.
//
// This is not a production PKI: real deployments use certificates issued
// by the institutions' own CA.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_NET_LOCALPKI_H
#define SSTAT_RUNTIME_NET_LOCALPKI_H

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace sstat::runtime::net {

class PkiError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

struct LocalPki {
  std::string caFile;
  struct Identity {
    std::string certFile;
    std::string keyFile;
  };
  std::map<std::string, Identity> identities; ///< by name
};

/// Writes a CA and one identity per name into `dir`; names must be 1..64
/// characters of [A-Za-z0-9._-] not starting with '.', distinct, and not
/// "ca". Throws PkiError.
LocalPki generateLocalPki(const std::string &dir,
                          const std::vector<std::string> &names,
                          int validDays = 3);

/// A TCP port on 127.0.0.1 that was free a moment ago, for a local run's
/// parties to listen on (they bind it a moment later). It is drawn at
/// random below the kernel's ephemeral range, where no connect() and no
/// bind to port 0 can take it in between (those draw from that range):
/// only another explicit bind could, which a random draw makes unlikely.
/// Throws PkiError if no port is found.
std::uint16_t freeLoopbackPort();

} // namespace sstat::runtime::net

#endif // SSTAT_RUNTIME_NET_LOCALPKI_H
