#include "evsim/net/tls.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <memory>
#include <stdexcept>

namespace evsim::net {
namespace ssl = boost::asio::ssl;

namespace {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
    void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;

[[noreturn]] void openssl_failure(const char* what) {
    throw std::runtime_error(std::string("OpenSSL: ") + what + " failed");
}

std::string to_pem(const std::function<int(BIO*)>& write) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || write(bio.get()) != 1) openssl_failure("PEM encoding");
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

void add_extension(X509* cert, int nid, const std::string& value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (ext == nullptr) openssl_failure("certificate extension");
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

}  // namespace

ssl::context make_client_tls_context(const ClientTlsOptions& options) {
    ssl::context ctx(ssl::context::tls_client);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
    if (options.verify_peer) {
        ctx.set_verify_mode(ssl::verify_peer);
        ctx.set_default_verify_paths();
        if (!options.ca_file.empty()) ctx.load_verify_file(options.ca_file);
    } else {
        ctx.set_verify_mode(ssl::verify_none);
    }
    return ctx;
}

void prepare_client_handshake(SSL* ssl_handle, const std::string& host, bool verify_peer) {
    // SNI must not be an IP literal; servers route virtual hosts by it.
    const bool ip_literal = host.find_first_not_of("0123456789.") == std::string::npos || host.find(':') != std::string::npos;
    // SSL_set_tlsext_host_name is a macro with a C cast; call what it expands to.
    if (!ip_literal && SSL_ctrl(ssl_handle, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                                const_cast<char*>(host.c_str())) != 1) {
        throw boost::system::system_error(
            boost::system::error_code(static_cast<int>(::ERR_get_error()), boost::asio::error::get_ssl_category()),
            "setting TLS server name");
    }
    // Per connection, so one context can serve verifying and non-verifying clients alike.
    SSL_set_verify(ssl_handle, verify_peer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
    if (verify_peer) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        const int ok = ip_literal ? X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str())
                                  : X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
        if (ok != 1) throw std::runtime_error("cannot verify TLS peer name '" + host + "'");
    }
}

ServerCertificate make_self_signed_certificate(const std::string& common_name, int days) {
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) openssl_failure("EC key generation");
    X509Ptr cert(X509_new());
    if (!cert) openssl_failure("X509_new");
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), static_cast<long>(::time(nullptr)));
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(days) * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("evsim"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(common_name.c_str()),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    add_extension(cert.get(), NID_subject_alt_name, "DNS:" + common_name + ",DNS:localhost,IP:127.0.0.1");
    add_extension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) openssl_failure("certificate signing");

    ServerCertificate out;
    out.certificate_pem = to_pem([&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()); });
    out.private_key_pem = to_pem([&](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    });
    return out;
}

ssl::context make_server_tls_context(const ServerCertificate& certificate) {
    ssl::context ctx(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                    ssl::context::single_dh_use);
    ctx.use_certificate_chain(boost::asio::buffer(certificate.certificate_pem));
    ctx.use_private_key(boost::asio::buffer(certificate.private_key_pem), ssl::context::pem);
    return ctx;
}

ssl::context make_server_tls_context_from_files(const std::string& certificate_file, const std::string& key_file) {
    ssl::context ctx(ssl::context::tls_server);
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3);
    // OpenSSL's own messages ("no such file", "no start line", "key values mismatch") say what is
    // wrong but not with which file: the user gets both.
    boost::system::error_code error;
    ctx.use_certificate_chain_file(certificate_file, error);
    if (error) throw TlsError("cannot load TLS certificate '" + certificate_file + "': " + error.message());
    ctx.use_private_key_file(key_file, ssl::context::pem, error);
    const auto mismatch = [&] {
        return TlsError("TLS key '" + key_file + "' does not match certificate '" + certificate_file + "'");
    };
    // OpenSSL checks the pair as it loads the key ("key values mismatch").
    if (error && error.message().find("mismatch") != std::string::npos) throw mismatch();
    if (error) throw TlsError("cannot load TLS key '" + key_file + "': " + error.message());
    if (SSL_CTX_check_private_key(ctx.native_handle()) != 1) throw mismatch();
    return ctx;
}

}  // namespace evsim::net
