--TEST--
Network namespace: every SMTP port dropped and 443 open: smtpx_send() with an API fallback delivers over HTTPS within the connect budget, the next send goes straight to the API; with 443 dropped too, one ConnectException names every fate
--SKIPIF--
<?php
require __DIR__ . '/netns.inc';
netns_skip_unless_possible();
if (!is_readable((getenv('SMTPX_PEERS_DIR') ?: '/tmp/smtpx-peers') . '/ca.key')) die('skip the harness CA is missing');
?>
--FILE--
<?php
require __DIR__ . '/netns.inc';
$net = netns_start('tls');  // a certificate for the server's address, from the harness CA
$api = proc_open(['/usr/sbin/ip', 'netns', 'exec', "{$net['name']}-s", '/usr/bin/python3',
                  netns_root() . '/tests/peers/api_server.py', '443', "{$net['state']}/api.log", '--host', $net['server'],
                  '--certfile', "{$net['state']}/server.pem", '--keyfile', "{$net['state']}/server.key"],
                 [1 => ['file', "{$net['state']}/api.out", 'w'], 2 => ['file', "{$net['state']}/api.out", 'a']], $pipes);
register_shutdown_function(fn () => proc_terminate($api));
for ($i = 0; $i < 100 && !trim((string) shell_exec("ip netns exec {$net['name']}-s ss -ltnH 'sport = :443'")); $i++) {
    usleep(100_000);
}
foreach ([587, 2525, 465] as $port) {
    netns_block($net, $port, 'drop');
}
$transport = ['host' => $net['server'], 'cafile' => netns_peers_dir() . '/ca.pem', 'connect_timeout' => 1.5,
              'persistent' => false, 'helo' => 'netns.test',
              'fallback' => ['api' => 'sendgrid', 'api_key' => 'SG.test-key', 'api_endpoint' => "https://{$net['server']}",
                             'cafile' => netns_peers_dir() . '/ca.pem', 'connect_timeout' => 1.5]];
$started = microtime(true);
[$first, $second] = netns_send($net, [$transport, $transport]);
$took = microtime(true) - $started;
echo $first['transport'] ?? $first['message'], ' after ', netns_fates($first) ?: 'no race', "\n";
echo 'primary: ', str_replace($net['server'], 'SERVER', (string) $first['fallback_from']), "\n";
echo $second['transport'] ?? $second['message'], ' straight away: ', var_export($second['fallback_from'] === null && $second['seconds'] < 1.0, true), "\n";
var_dump($took < (smtpx_test_under_valgrind_netns() ? 20 : 4));

netns_block($net, 443, 'drop');
[$third] = netns_send($net, [['persistent' => false] + $transport]);
echo $third['exception'], "\n", str_replace($net['server'], 'SERVER', $third['message']), "\n";

function smtpx_test_under_valgrind_netns(): bool
{
    return getenv('USE_ZEND_ALLOC') === '0';
}
?>
--EXPECTF--
sendgrid+api after no race
primary: could not reach SERVER on any port (587 (SERVER) timeout: no answer within %fs: a firewall is probably dropping packets to this port; 2525 (SERVER) timeout: no answer within %fs: a firewall is probably dropping packets to this port; 465 (SERVER) timeout: no answer within %fs: a firewall is probably dropping packets to this port): check the host name, or ask the hosting provider which outgoing ports it allows
sendgrid+api straight away: true
bool(true)
Smtpx\ConnectException
%Acould not reach SERVER on any port%Athe fallback failed too: %ASERVER%A
