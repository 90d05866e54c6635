--TEST--
Network namespace: every port blocked (587 and 2525 dropped, 465 refused) is a ConnectException within the connect budget naming each port's fate
--SKIPIF--
<?php require __DIR__ . '/netns.inc'; netns_skip_unless_possible(); ?>
--FILE--
<?php
require __DIR__ . '/netns.inc';
$net = netns_start();
netns_block($net, 587, 'drop');
netns_block($net, 2525, 'drop');
netns_block($net, 465, 'reject');
$started = microtime(true);
[$result] = netns_send($net, [netns_transport($net, ['connect_timeout' => 1.5])]);
$took = microtime(true) - $started;
echo $result['exception'], "\n";
echo str_replace($net['server'], 'SERVER', $result['message']), "\n";
var_dump($took >= 1.5 && $took < 4);
?>
--EXPECTF--
Smtpx\ConnectException
could not reach SERVER on any port (587 (SERVER) timeout: no answer within %fs: a firewall is probably dropping packets to this port; 2525 (SERVER) timeout: no answer within %fs: a firewall is probably dropping packets to this port; 465 (SERVER) refused: connection refused: nothing listens there): check the host name, or ask the hosting provider which outgoing ports it allows
bool(true)
