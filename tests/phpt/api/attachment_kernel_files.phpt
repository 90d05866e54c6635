--TEST--
Kernel files (/proc, /sys) are never attached, though stat() calls them regular files
--EXTENSIONS--
smtpx
--INI--
pcre.jit=0
--FILE--
<?php
$message = ['from' => 'a@example.com', 'to' => 'b@example.com', 'text' => 'x'];
foreach (['/proc/self/environ', '/sys/kernel/uevent_seqnum'] as $path) {
    try {
        smtpx_send($message + ['attachments' => [$path]], ['host' => '127.0.0.1', 'ports' => ['1/none'], 'tls' => 'none']);
    } catch (ValueError $e) {
        echo str_replace($path, 'PATH', $e->getMessage()), "\n";
    }
}
?>
--EXPECT--
smtpx_send(): Argument #1 ($message) attachments[0].path: is a file of the kernel's (/proc, /sys), not one to attach: PATH
smtpx_send(): Argument #1 ($message) attachments[0].path: is a file of the kernel's (/proc, /sys), not one to attach: PATH
