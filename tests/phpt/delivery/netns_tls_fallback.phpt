--TEST--
Network namespace: falling back never lowers security: whichever port wins, TLS is verified before AUTH
--SKIPIF--
<?php
require __DIR__ . '/netns.inc';
netns_skip_unless_possible();
if (!is_readable(netns_peers_dir() . '/ca.key')) die('skip the harness CA (tests/peers/start) is needed');
?>
--FILE--
<?php
require __DIR__ . '/netns.inc';
$net = netns_start('tls');
// The default plan: 587 and 2525 with STARTTLS, then 465 with implicit TLS.
$transport = ['host' => $net['server'], 'cafile' => netns_peers_dir() . '/ca.pem', 'username' => 'alice',
              'password' => 'wonderland-42', 'persistent' => false];
netns_block($net, 587, 'drop');
[$first] = netns_send($net, [$transport]);
echo "587 dropped: port {$first['port']} over {$first['tls']}: ", netns_fates($first), "\n";
netns_block($net, 2525, 'drop');
[$second] = netns_send($net, [$transport]);
echo "587 and 2525 dropped: port {$second['port']} over {$second['tls']}: ", netns_fates($second), "\n";
// Where the credentials and the mail went: only ever inside verified TLS, on the winner.
echo file_get_contents("{$net['state']}/events.log");
// A certificate the client cannot verify is an error on the winning port, never a reason to try another.
netns_block($net, 587, 'open');
[$unverified] = netns_send($net, [['cafile' => '/etc/ssl/certs/ca-certificates.crt'] + $transport]);
echo $unverified['exception'], "\n";
?>
--EXPECTF--
587 dropped: port 2525 over TLSv1.%d: 587 lost, 2525 won
587 and 2525 dropped: port 465 over TLSv1.%d: 2525 lost, 587 lost, 465 won
auth 2525 alice ok
message 2525
auth 465 alice ok
message 465
Smtpx\TlsException
