--TEST--
The memory limit reached while smtpx builds its return value is PHP's usual fatal error, and the request still shuts down in order
--EXTENSIONS--
smtpx
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
if (smtpx_test_under_valgrind()) {
    die("skip without Zend's allocator (USE_ZEND_ALLOC=0) PHP enforces no memory_limit\n");
}
?>
--FILE--
<?php
register_shutdown_function(function () {
    echo "\nshutdown functions ran\n";
});
$text = str_repeat("a line of plain text\n", 100000);  // 2.1 MB
// Room for the core's work (C++ memory) but not for the 2 MB string PHP gets back:
// the bailout comes while the result is copied into PHP's memory.
ini_set('memory_limit', (string) (memory_get_usage(true) + (1 << 20)));
$mime = smtpx_compose(['from' => 'ann@example.com', 'to' => 'bob@example.com', 'text' => $text]);
echo "not reached\n";
?>
--EXPECTF--
Fatal error: Allowed memory size of %d bytes exhausted %s in %s on line %d

shutdown functions ran
