// TLS contexts for evsim's clients and servers (https, wss).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <stdexcept>
#include <string>

namespace evsim::net {

struct ClientTlsOptions {
    bool verify_peer = true;  // off only when the user asks (self-signed test servers)
    std::string ca_file;      // extra trust anchors in PEM; the system store is always used
};

boost::asio::ssl::context make_client_tls_context(const ClientTlsOptions& options);

// Sets SNI, the verification mode (a context made with verify_peer off can still verify and the
// other way round) and, when verifying, the host name check on a client stream's native handle.
// Throws boost::system::system_error when OpenSSL refuses the host name.
void prepare_client_handshake(SSL* ssl, const std::string& host, bool verify_peer);

struct ServerCertificate {
    std::string certificate_pem;
    std::string private_key_pem;
};

// A fresh self-signed certificate (EC P-256, valid from now for `days`) for `common_name`, with
// subjectAltName entries for it, localhost and 127.0.0.1.
ServerCertificate make_self_signed_certificate(const std::string& common_name, int days = 30);

boost::asio::ssl::context make_server_tls_context(const ServerCertificate& certificate);
// A certificate or key that cannot be used; the message names the file and OpenSSL's reason.
class TlsError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Loads certificate chain and key from PEM files and checks that they belong together. Throws
// TlsError.
boost::asio::ssl::context make_server_tls_context_from_files(const std::string& certificate_file,
                                                              const std::string& key_file);

}  // namespace evsim::net
