--TEST--
Network namespace: 587 dropped by a firewall, the first send wins on 2525 within the stagger, later sends and other processes go straight to 2525
--SKIPIF--
<?php require __DIR__ . '/netns.inc'; netns_skip_unless_possible(); ?>
--FILE--
<?php
require __DIR__ . '/netns.inc';
$net = netns_start();
netns_block($net, 587, 'drop');
$transport = netns_transport($net);
[$first, $second] = netns_send($net, [$transport, $transport]);
echo "first: port {$first['port']}: ", netns_fates($first), "\n";
var_dump($first['seconds'] >= 0.25 && $first['seconds'] < 1.5);
echo "second: port {$second['port']}: ", netns_fates($second), "\n";
var_dump($second['seconds'] < 0.25);
// Another process (another PHP-FPM worker) reads the port from the shared cache file.
[$other] = netns_send($net, [$transport]);
echo "other process: port {$other['port']}: ", netns_fates($other), "\n";
?>
--EXPECT--
first: port 2525: 587 lost, 2525 won
bool(true)
second: port 2525: 2525 won
bool(true)
other process: port 2525: 2525 won
