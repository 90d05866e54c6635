--TEST--
A refused connection is a transient Smtpx\ConnectException in phase connect, with no reply
--EXTENSIONS--
smtpx
--FILE--
<?php
// Nothing listens on port 1 of the loopback: the kernel refuses at once.
try {
    smtpx_send(['from' => 'a@example.com', 'to' => 'b@example.com'],
        ['host' => '127.0.0.1', 'port' => 1, 'tls' => 'none', 'timeout' => 5]);
} catch (Smtpx\Exception $e) {
    echo get_class($e), "\n";
    var_dump($e->getPhase(), $e->isTransient(), $e->isOutcomeUnknown(), $e->getSmtpCode(),
        $e->getCode(), $e->getEnhancedStatus(), $e->getTranscript());
    var_dump($e->getMessage() !== '');
}
?>
--EXPECT--
Smtpx\ConnectException
string(7) "connect"
bool(true)
bool(false)
int(0)
int(0)
NULL
NULL
bool(true)
