--TEST--
Credentials never cross: another user, or the same user with another password, never gets a pooled connection
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; smtpx_test_skip_unless_peers(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/sink_count.inc';
// alice's connection is pooled after the first send; had it been handed to anyone
// else, their send would have gone out on alice's AUTH instead of failing on their own.
$alice = smtpx_test_transport('submission');
$others = [
    'bob' => ['username' => 'bob', 'password' => 'wonderland-42'] + $alice,
    'alice, wrong password' => ['password' => 'not-her-password'] + $alice,
];
var_dump(smtpx_send(delivery_message(), $alice)['reused']);
foreach ($others as $who => $transport) {
    try {
        smtpx_send(delivery_message(), $transport);
        echo "$who: sent?!\n";
    } catch (Smtpx\AuthException $e) {
        echo "$who: ", get_class($e), " ", $e->getSmtpCode(), "\n";
    }
}
var_dump(smtpx_send(delivery_message(), $alice)['reused']);
$stats = smtpx_pool_stats();
echo "opened {$stats['opened']}, reused {$stats['reused']}\n";
?>
--EXPECT--
bool(false)
bob: Smtpx\AuthException 535
alice, wrong password: Smtpx\AuthException 535
bool(true)
opened 3, reused 1
