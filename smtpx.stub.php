<?php

/**
 * @generate-class-entries
 * @generate-legacy-arginfo 80100
 */

namespace {
    /**
     * Composes $message and submits it. Returns message_id, accepted, rejected,
     * reply, host, port, tls, reused, seconds (and transcript when debug is on).
     */
    function smtpx_send(array $message, #[\SensitiveParameter] array|string|null $transport = null): array {}

    /** Submits an already composed MIME message to $recipients. */
    function smtpx_send_raw(string $from, array $recipients, string $mime, #[\SensitiveParameter] array|string|null $transport = null): array {}

    /**
     * The bytes smtpx_send() would submit for $message to a server offering what
     * $server says ("8bitmime", "smtputf8": bool; neither by default), with
     * their own Date, Message-ID and boundaries.
     */
    function smtpx_compose(array $message, ?array $server = null): string {}

    /**
     * What this process's connection pool did: opened, reused, idle, dropped
     * (by reason) and, per port, the races it won, failed and lost to a faster port.
     */
    function smtpx_pool_stats(): array {}

    /** Says QUIT to every kept connection and empties the pool. */
    function smtpx_pool_close(): void {}

    /**
     * Measures each candidate port of $transport (TCP, greeting, TLS and its
     * certificate, EHLO extensions, AUTH) and recommends the one to use.
     */
    function smtpx_probe(#[\SensitiveParameter] array|string|null $transport = null): array {}

    /**
     * What the DNS of $domain says about mail from it: SPF (and whether it authorizes the
     * transport's provider), the DKIM selector's key against the transport's, DMARC and MX;
     * each finding with a severity, a sentence and the record to publish.
     * $options: nameserver ("IP[:port]") instead of the system's resolver.
     */
    function smtpx_domain_check(string $domain, #[\SensitiveParameter] array|string|null $transport = null, array $options = []): array {}
}

namespace Smtpx {
    class Exception extends \RuntimeException
    {
        protected int $smtpCode = 0;
        protected ?string $enhancedStatus = null;
        protected string $phase = "";
        protected bool $transient = false;
        protected bool $outcomeUnknown = false;
        protected ?string $transcript = null;
        protected string $hint = "";
        protected int $httpStatus = 0;
        protected ?float $retryAfter = null;
        protected ?string $oauthRefreshToken = null;

        public function getSmtpCode(): int {}
        public function getEnhancedStatus(): ?string {}
        public function getPhase(): string {}
        public function isTransient(): bool {}
        /** True when the data was sent but no final reply came: the message may have been accepted. */
        public function isOutcomeUnknown(): bool {}
        public function getTranscript(): ?string {}
        /** What to do next, as the end of getMessage() says it; "" when smtpx knows no advice. */
        public function getHint(): string {}
        /** An HTTPS API's status code; 0 over SMTP. */
        public function getHttpStatus(): int {}
        /** Seconds the provider asked to wait before trying again (HTTP Retry-After), or null. */
        public function getRetryAfter(): ?float {}
        /**
         * OAuth: the refresh token the provider issued in place of the one given, during this
         * failed send (as the result's oauth_refresh_token after a successful one): store it,
         * since the old one may be refused from now on. Null when it did not change.
         */
        public function getOauthRefreshToken(): ?string {}
    }

    class ConnectException extends Exception {}
    class TlsException extends Exception {}
    class AuthException extends Exception {}
    class RejectedException extends Exception
    {
        protected array $rejected = [];

        /** Address => server reply, for every refused recipient. */
        public function getRejected(): array {}
    }
    class ProtocolException extends Exception {}
    class TimeoutException extends Exception {}

    /**
     * @strict-properties
     * @not-serializable
     */
    final class Client
    {
        public function __construct(#[\SensitiveParameter] array|string|null $transport = null) {}
        public function send(array $message): array {}
        public function sendRaw(string $from, array $recipients, string $mime): array {}
        public function close(): void {}
    }
}
