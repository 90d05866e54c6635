--TEST--
Network namespace: a remembered port that fails makes the plan start over, at once when it is refused
--SKIPIF--
<?php require __DIR__ . '/netns.inc'; netns_skip_unless_possible(); ?>
--FILE--
<?php
require __DIR__ . '/netns.inc';
$net = netns_start();
$transport = netns_transport($net);
netns_block($net, 587, 'drop');
[$first] = netns_send($net, [$transport]);
echo "587 dropped: port {$first['port']}: ", netns_fates($first), "\n";
netns_block($net, 587, 'open');
netns_block($net, 2525, 'reject');
[$second, $third] = netns_send($net, [$transport, $transport]);
echo "2525 refused: port {$second['port']}: ", netns_fates($second), "\n";
var_dump($second['seconds'] < 0.25);
echo "then: port {$third['port']}: ", netns_fates($third), "\n";
?>
--EXPECT--
587 dropped: port 2525: 587 lost, 2525 won
2525 refused: port 587: 2525 refused, 587 won
bool(true)
then: port 587: 587 won
