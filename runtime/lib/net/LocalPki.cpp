//===- net/LocalPki.cpp - Throw-away CA for local and test runs -----------===//
//
// See net/LocalPki.h. Keys from EVP_PKEY_Q_keygen (EC P-256), certificates
// built with the X509 API, extensions through X509V3_EXT_conf_nid.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/net/LocalPki.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <memory>
#include <netinet/in.h>
#include <random>
#include <set>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace sstat::runtime::net {

namespace {

struct Free {
  void operator()(EVP_PKEY *p) const { EVP_PKEY_free(p); }
  void operator()(X509 *p) const { X509_free(p); }
  void operator()(BIO *p) const { BIO_free(p); }
  void operator()(BIGNUM *p) const { BN_free(p); }
  void operator()(X509_EXTENSION *p) const { X509_EXTENSION_free(p); }
};
template <class T> using Ptr = std::unique_ptr<T, Free>;

[[noreturn]] void fail(const std::string &what) {
  std::string s = "local PKI: " + what;
  unsigned long e = ERR_get_error();
  if (e) {
    const char *r = ERR_reason_error_string(e);
    s += std::string(": ") + (r ? r : "OpenSSL error");
  }
  ERR_clear_error();
  throw PkiError(s);
}

Ptr<EVP_PKEY> newKey() {
  Ptr<EVP_PKEY> k(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!k)
    fail("cannot generate an EC P-256 key");
  return k;
}

void addExt(X509 *cert, X509 *issuer, int nid, const char *value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  Ptr<X509_EXTENSION> ext(
      X509V3_EXT_conf_nid(nullptr, &ctx, nid, const_cast<char *>(value)));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    fail(std::string("cannot add the extension ") + OBJ_nid2sn(nid) + "=" +
         value);
}

/// A certificate for `cn` with `key`, signed by (issuer, issuerKey); a
/// self-signed CA when issuer is null.
Ptr<X509> makeCert(const std::string &cn, EVP_PKEY *key, X509 *issuer,
                   EVP_PKEY *issuerKey, int validDays) {
  Ptr<X509> cert(X509_new());
  if (!cert)
    fail("cannot allocate a certificate");
  X509_set_version(cert.get(), 2); // v3
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1)
    fail("RAND_bytes failed");
  serial[0] &= 0x7f; // positive
  Ptr<BIGNUM> bn(BN_bin2bn(serial, sizeof serial, nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get())))
    fail("cannot set the serial number");
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                  static_cast<long>(validDays) * 24 * 3600);
  X509_NAME *name = X509_get_subject_name(cert.get());
  if (X509_NAME_add_entry_by_txt(
          name, "CN", MBSTRING_UTF8,
          reinterpret_cast<const unsigned char *>(cn.c_str()), -1, -1, 0) != 1)
    fail("cannot set CN '" + cn + "'");
  X509_set_issuer_name(cert.get(),
                       issuer ? X509_get_subject_name(issuer) : name);
  if (X509_set_pubkey(cert.get(), key) != 1)
    fail("cannot set the public key");
  X509 *iss = issuer ? issuer : cert.get();
  addExt(cert.get(), iss, NID_subject_key_identifier, "hash");
  if (!issuer) {
    addExt(cert.get(), iss, NID_basic_constraints, "critical,CA:TRUE");
    addExt(cert.get(), iss, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    addExt(cert.get(), iss, NID_authority_key_identifier, "keyid:always");
    addExt(cert.get(), iss, NID_basic_constraints, "CA:FALSE");
    addExt(cert.get(), iss, NID_key_usage, "critical,digitalSignature");
    addExt(cert.get(), iss, NID_ext_key_usage, "serverAuth,clientAuth");
    addExt(cert.get(), iss, NID_subject_alt_name, ("DNS:" + cn).c_str());
  }
  if (X509_sign(cert.get(), issuerKey ? issuerKey : key, EVP_sha256()) <= 0)
    fail("cannot sign the certificate for '" + cn + "'");
  return cert;
}

std::string pem(const std::function<int(BIO *)> &write) {
  Ptr<BIO> bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1)
    fail("cannot encode PEM");
  char *data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

/// Temporary file in the same directory, fsync, rename over `path`.
void writeAtomically(const std::filesystem::path &path,
                     const std::string &content, mode_t mode) {
  std::string tmpl = path.string() + ".tmp.XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data()); // created with mode 0600
  if (fd < 0)
    throw PkiError("local PKI: cannot create a temporary file next to '" +
                   path.string() + "': " + std::strerror(errno));
  const std::string tmp(buf.data());
  bool ok = ::fchmod(fd, mode) == 0;
  std::size_t off = 0;
  while (ok && off < content.size()) {
    ssize_t n = ::write(fd, content.data() + off, content.size() - off);
    if (n < 0 && errno == EINTR)
      continue;
    ok = n > 0;
    off += ok ? static_cast<std::size_t>(n) : 0;
  }
  ok = ok && ::fsync(fd) == 0;
  const int err = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = ok ? errno : err;
    ::unlink(tmp.c_str());
    throw PkiError("local PKI: cannot write '" + path.string() +
                   "': " + std::strerror(e));
  }
}

void checkNames(const std::vector<std::string> &names) {
  std::set<std::string> seen;
  for (const std::string &n : names) {
    bool ok = !n.empty() && n.size() <= 64 && n[0] != '.' && n != "ca";
    for (char c : n)
      ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                  c == '_' || c == '-');
    if (!ok)
      throw PkiError("local PKI: invalid name '" + n +
                     "' (1..64 characters of [A-Za-z0-9._-], not starting "
                     "with '.', not 'ca')");
    if (!seen.insert(n).second)
      throw PkiError("local PKI: name '" + n + "' given twice");
  }
}

} // namespace

LocalPki generateLocalPki(const std::string &dir,
                          const std::vector<std::string> &names,
                          int validDays) {
  checkNames(names);
  if (validDays < 1)
    throw PkiError("local PKI: validity must be at least one day");
  std::filesystem::path root(dir);
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec)
    throw PkiError("local PKI: cannot create '" + dir + "': " + ec.message());

  unsigned char tag[4];
  if (RAND_bytes(tag, sizeof tag) != 1)
    fail("RAND_bytes failed");
  char hex[9];
  std::snprintf(hex, sizeof hex, "%02x%02x%02x%02x", tag[0], tag[1], tag[2],
                tag[3]);
  Ptr<EVP_PKEY> caKey = newKey();
  Ptr<X509> ca = makeCert(std::string("sstat local CA ") + hex, caKey.get(),
                          nullptr, nullptr, validDays);

  LocalPki out;
  out.caFile = (root / "ca.pem").string();
  writeAtomically(out.caFile,
                  pem([&](BIO *b) { return PEM_write_bio_X509(b, ca.get()); }),
                  0644);
  for (const std::string &n : names) {
    Ptr<EVP_PKEY> key = newKey();
    Ptr<X509> cert = makeCert(n, key.get(), ca.get(), caKey.get(), validDays);
    LocalPki::Identity id;
    id.keyFile = (root / (n + ".key")).string();
    id.certFile = (root / (n + ".pem")).string();
    writeAtomically(id.keyFile, pem([&](BIO *b) {
                      return PEM_write_bio_PrivateKey(
                          b, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
                    }),
                    0600);
    writeAtomically(
        id.certFile,
        pem([&](BIO *b) { return PEM_write_bio_X509(b, cert.get()); }), 0644);
    out.identities[n] = id;
  }
  return out;
}

std::uint16_t freeLoopbackPort() {
  // The ephemeral range, e.g. "32768\t60999"; ports below its start are
  // assigned only by explicit binds.
  unsigned Low = 32768;
  if (std::FILE *F =
          std::fopen("/proc/sys/net/ipv4/ip_local_port_range", "r")) {
    unsigned Lo = 0, Hi = 0;
    if (std::fscanf(F, "%u %u", &Lo, &Hi) == 2 && Lo > 12000 && Lo <= 65535)
      Low = Lo;
    std::fclose(F);
  }
  std::random_device Rd;
  std::uniform_int_distribution<unsigned> Pick(10000, Low - 1);
  for (int Try = 0; Try < 200; ++Try) {
    const auto Port = static_cast<std::uint16_t>(Pick(Rd));
    int S = ::socket(AF_INET, SOCK_STREAM, 0);
    if (S < 0)
      break;
    sockaddr_in A{};
    A.sin_family = AF_INET;
    A.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    A.sin_port = htons(Port);
    const bool Free =
        ::bind(S, reinterpret_cast<sockaddr *>(&A), sizeof A) == 0;
    ::close(S);
    if (Free)
      return Port;
  }
  throw PkiError("cannot find a free loopback port");
}

} // namespace sstat::runtime::net
